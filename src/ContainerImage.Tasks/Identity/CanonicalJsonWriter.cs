using System.Globalization;
using System.Text;

namespace ContainerImage.Identity;

/// <summary>
/// Writes the identifier's canonical JSON: no whitespace, members in the order written (the spec fixes
/// it), integers only, strings escaped as RFC 8785 (JCS) does: <c>\"</c>, <c>\\</c>, <c>\b \f \n \r \t</c>,
/// other characters below U+0020 as <c>\u00xx</c> (lowercase hex), everything else literally (UTF-8 when
/// hashed). Kept separate from System.Text.Json so the encoding never changes with a runtime update.
/// </summary>
internal sealed class CanonicalJsonWriter
{
    private readonly StringBuilder _text = new();
    private readonly Stack<bool> _first = new();

    /// <summary>The JSON written so far.</summary>
    public override string ToString() => _text.ToString();

    /// <summary>Starts an object (as a value, or as member <paramref name="name"/>).</summary>
    public CanonicalJsonWriter StartObject(string? name = null) => Open(name, '{');

    /// <summary>Ends the current object.</summary>
    public CanonicalJsonWriter EndObject() => Close('}');

    /// <summary>Starts an array (as a value, or as member <paramref name="name"/>).</summary>
    public CanonicalJsonWriter StartArray(string? name = null) => Open(name, '[');

    /// <summary>Ends the current array.</summary>
    public CanonicalJsonWriter EndArray() => Close(']');

    /// <summary>A string value or member; null writes <c>null</c>.</summary>
    public CanonicalJsonWriter String(string? name, string? value)
    {
        Prefix(name);
        if (value is null) _text.Append("null");
        else AppendString(value);
        return this;
    }

    /// <summary>A boolean value or member.</summary>
    public CanonicalJsonWriter Bool(string? name, bool value)
    {
        Prefix(name);
        _text.Append(value ? "true" : "false");
        return this;
    }

    /// <summary>An integer value or member.</summary>
    public CanonicalJsonWriter Number(string? name, long value)
    {
        Prefix(name);
        _text.Append(value.ToString(CultureInfo.InvariantCulture));
        return this;
    }

    /// <summary>An array of strings as member <paramref name="name"/>, in the given order.</summary>
    public CanonicalJsonWriter Strings(string name, IEnumerable<string> values)
    {
        StartArray(name);
        foreach (var value in values) String(null, value);
        return EndArray();
    }

    /// <summary>Pre-encoded canonical JSON as member <paramref name="name"/> (used to embed a layer's parameters).</summary>
    public CanonicalJsonWriter Raw(string? name, string json)
    {
        Prefix(name);
        _text.Append(json);
        return this;
    }

    private CanonicalJsonWriter Open(string? name, char bracket)
    {
        Prefix(name);
        _text.Append(bracket);
        _first.Push(true);
        return this;
    }

    private CanonicalJsonWriter Close(char bracket)
    {
        _first.Pop();
        _text.Append(bracket);
        return this;
    }

    private void Prefix(string? name)
    {
        if (_first.Count > 0)
        {
            if (!_first.Pop()) _text.Append(',');
            _first.Push(false);
        }
        if (name is null) return;
        AppendString(name);
        _text.Append(':');
    }

    private void AppendString(string value)
    {
        _text.Append('"');
        // Almost every string (paths, hashes) needs no escape: appended whole, not char by char (20,000-file manifests).
        var span = value.AsSpan();
        if (span.IndexOfAnyInRange('\0', '\x1f') < 0 && span.IndexOfAny('"', '\\') < 0)
        {
            _text.Append(value).Append('"');
            return;
        }
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': _text.Append("\\\""); break;
                case '\\': _text.Append("\\\\"); break;
                case '\b': _text.Append("\\b"); break;
                case '\f': _text.Append("\\f"); break;
                case '\n': _text.Append("\\n"); break;
                case '\r': _text.Append("\\r"); break;
                case '\t': _text.Append("\\t"); break;
                default:
                    if (c < 0x20) _text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else _text.Append(c);
                    break;
            }
        }
        _text.Append('"');
    }
}
