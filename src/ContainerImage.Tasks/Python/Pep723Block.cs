using System.Text.RegularExpressions;

namespace ContainerImage.Python;

/// <summary>
/// Finds a PEP 723 inline metadata block the way the PEP's reference regular expression does:
/// an opening line <c># /// TYPE</c>, then consecutive comment lines that are exactly <c>#</c> or start
/// with <c>"# "</c>, closed by the LAST <c># ///</c> line of that run (the PEP gives the closing line
/// precedence only when the next line is not another content line). Content lines lose their
/// <c>#</c> or <c>"# "</c> prefix. Line endings are normalized to LF first, so a CRLF script reads the
/// same as on the machine that wrote it.
/// </summary>
internal static partial class Pep723Block
{
    /// <summary>One block: its type, its content, and the 1-based file line of its first content line.</summary>
    public sealed record Block(string Type, string Content, int FirstContentLine);

    /// <summary>Outcome of a scan: the blocks found, and the 1-based line of an unclosed opening, if any.</summary>
    public sealed record ScanResult(IReadOnlyList<Block> Blocks, IReadOnlyList<(string Type, int Line)> Unclosed);

    /// <summary>Scans <paramref name="script"/> for every metadata block.</summary>
    public static ScanResult Scan(string script)
    {
        var lines = script.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<Block>();
        var unclosed = new List<(string, int)>();
        var i = 0;
        while (i < lines.Length)
        {
            var opening = Opening().Match(lines[i]);
            if (!opening.Success)
            {
                i++;
                continue;
            }
            // Content lines must each end with a newline (the PEP's "$\s"), so the last line of a
            // file without a trailing newline can only be the closing line.
            var close = -1;
            for (var j = i + 1; j < lines.Length; j++)
            {
                // The PEP's pattern needs at least one content line before the closing one.
                if (lines[j] == "# ///" && j > i + 1) close = j;
                var hasNewlineAfter = j < lines.Length - 1;
                if (!IsContentLine(lines[j]) || !hasNewlineAfter) break;
            }
            if (close < 0)
            {
                unclosed.Add((opening.Groups[1].Value, i + 1));
                i++;
                continue;
            }
            var content = lines[(i + 1)..close].Select(l => l.StartsWith("# ", StringComparison.Ordinal) ? l[2..] : l[1..]);
            blocks.Add(new Block(opening.Groups[1].Value, string.Join("\n", content) + "\n", i + 2));
            i = close + 1;
        }
        return new ScanResult(blocks, unclosed);
    }

    private static bool IsContentLine(string line) => line == "#" || line.StartsWith("# ", StringComparison.Ordinal);

    [GeneratedRegex(@"^# /// ([a-zA-Z0-9-]+)$")]
    private static partial Regex Opening();
}
