using CsCheck;

namespace ContainerImage.Tests.Reliability;

/// <summary>
/// Generators of hostile text: fragments an attacker (or a careless project file) would put in a
/// value to break out of its Dockerfile position, glued together with ordinary characters.
/// </summary>
internal static class HostileText
{
    // Each fragment targets one way a value could change the Dockerfile's meaning.
    private static readonly string[] Fragments =
    [
        "\n", "\r", "\r\n", "\0", "\t", "\u0001", "\u001b[31m", "\u007f", "\u2028", "\u0085",
        "\"", "'", "`", "$", "${X}", "$(id)", "$HOME", "\\", "\\\\", "\\n", "\\\n", "\\\"",
        ";", "&&", "||", "|", "&", ">", "<", "<<EOF", "<<-EOF", "#", "# comment", "*", "?", "[", "]", "{", "}", "=", ",",
        "[\"/bin/sh\", \"-c\", \"id\"]", "--mount=type=bind,source=/,target=/host ", "--network=host ", "--security=insecure ",
        "RUN ", "FROM scratch", "ENV X=1", "COPY / /", "\nRUN id", "..", "../", "/..", "/etc/passwd", "/", "./", "~",
        "ü", "日本", "🙂", "\u200b", "\ufeff", "\u00a0", " ", "  ", "-", "--", "%", "@", ":", "/", ".", "_",
    ];

    private static readonly Gen<string> Ordinary = Gen.String[Gen.Char["abcXYZ019-_./:@ "], 0, 8];

    private static readonly Gen<string> Fragment = Gen.Frequency(
        (3, (IGen<string>)Ordinary),
        (4, Gen.OneOf(Fragments)),
        (1, Gen.String[Gen.Char, 0, 6]));

    /// <summary>Concatenations of 0–6 fragments; sometimes a very long run of one character.</summary>
    public static Gen<string> Value { get; } = Gen.Frequency(
        (20, (IGen<string>)Fragment.Array[0, 6].Select(parts => string.Concat(parts))),
        (1, Gen.Int[4000, 9000].Select(n => new string('a', n))),
        (1, Gen.Const("")));

    /// <summary>A short list of hostile values.</summary>
    public static Gen<string[]> Values { get; } = Value.Array[0, 3];
}
