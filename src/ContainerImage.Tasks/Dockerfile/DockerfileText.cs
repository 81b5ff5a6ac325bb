using System.Text;

namespace ContainerImage.Dockerfile;

/// <summary>
/// Accumulates Dockerfile lines: LF endings, a trailing newline, and a guarantee that no line
/// break ever enters an instruction (one would start a new instruction nobody declared).
/// </summary>
internal sealed class DockerfileText
{
    private readonly StringBuilder _text = new();

    /// <summary>Appends one instruction or comment line.</summary>
    public void Line(string line)
    {
        if (line.IndexOfAny(['\n', '\r']) >= 0)
            throw new ArgumentException("A Dockerfile instruction cannot span lines: the model should have refused this value.", nameof(line));
        _text.Append(line).Append('\n');
    }

    /// <summary>Appends an empty line (between blocks, for readers).</summary>
    public void Blank() => _text.Append('\n');

    /// <summary>
    /// Appends a RUN step: the flags, then the script in shell form, or in exec form through
    /// <c>/bin/sh -c</c> when the shell form would misread it (see <see cref="DockerfileQuoting.NeedsExecForm"/>).
    /// </summary>
    public void Run(IEnumerable<string> flags, string script)
    {
        var body = DockerfileQuoting.NeedsExecForm(script) ? DockerfileQuoting.ShellExecForm(script) : script;
        Line(string.Join(' ', flags.Prepend("RUN").Append(body)));
    }

    /// <inheritdoc/>
    public override string ToString() => _text.ToString();
}
