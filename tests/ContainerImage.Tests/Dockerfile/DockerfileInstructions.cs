namespace ContainerImage.Tests.Dockerfile;

/// <summary>A parsed Dockerfile instruction: its keyword and the rest of the line.</summary>
internal sealed record DockerfileInstruction(string Keyword, string Arguments)
{
    /// <summary>
    /// Splits Dockerfile text into instructions the way the frontend reads lines: comments and
    /// blank lines skipped, a trailing '\' continuing the line. The writer never continues lines,
    /// so a test that counts instructions also catches a value that broke out of its line.
    /// </summary>
    public static IReadOnlyList<DockerfileInstruction> Parse(string text)
    {
        var result = new List<DockerfileInstruction>();
        var pending = "";
        foreach (var raw in text.Split('\n'))
        {
            if (pending.Length == 0 && (raw.TrimStart().StartsWith('#') || raw.Trim().Length == 0)) continue;
            if (raw.EndsWith('\\')) { pending += raw[..^1]; continue; }
            var line = (pending + raw).TrimStart();
            pending = "";
            var space = line.IndexOf(' ');
            result.Add(space < 0 ? new(line, "") : new(line[..space], line[(space + 1)..]));
        }
        return result;
    }
}
