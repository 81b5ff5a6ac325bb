using System.Xml;
using System.Xml.Linq;

namespace ContainerImage.Tasks;

/// <summary>A place in a project file; line and column are 1-based, 0 when unknown.</summary>
/// <param name="File">The project file.</param>
/// <param name="Line">The element's line.</param>
/// <param name="Column">The column of the element's '&lt;'.</param>
public sealed record SourceLocation(string File, int Line, int Column);

/// <summary>
/// Finds the element that declared an item or property. Tasks are not told item line numbers, so
/// the defining project file is read again with line information and the element is matched by
/// item type, Kind and Include.
/// </summary>
public sealed class ProjectFileLocator
{
    private readonly Dictionary<string, XDocument?> _documents = new(StringComparer.Ordinal);

    /// <summary>A locator whose fallback file is <paramref name="projectFile"/>.</summary>
    public ProjectFileLocator(string projectFile) => ProjectFile = projectFile;

    /// <summary>The project being built: where errors go when nothing more precise is found.</summary>
    public string ProjectFile { get; }

    /// <summary>
    /// The element that declared <paramref name="origin"/>: in its defining project, the
    /// <see cref="ItemOrigin.Occurrence"/>-th element of the same type and Kind whose Include lists the
    /// item spec; else the first element of that type and Kind; else the file itself.
    /// </summary>
    public SourceLocation Locate(ItemOrigin origin)
    {
        var defining = origin.Item.GetMetadata("DefiningProjectFullPath");
        var file = string.IsNullOrEmpty(defining) ? ProjectFile : defining;
        var document = Load(file);
        if (document is null) return new SourceLocation(file, 0, 0);

        var candidates = document.Descendants()
            .Where(e => e.Name.LocalName == origin.ItemType && e.Parent?.Name.LocalName == "ItemGroup")
            .Where(e => string.Equals(KindOf(e), origin.Kind, StringComparison.OrdinalIgnoreCase))
            .ToList();
        var matching = candidates.Where(e => IncludeLists(e, origin.Item.ItemSpec)).ToList();
        var element = matching.Count > origin.Occurrence ? matching[origin.Occurrence]
            : matching.FirstOrDefault() ?? candidates.FirstOrDefault();
        return element is null ? new SourceLocation(file, 0, 0) : At(file, element);
    }

    /// <summary>The last element that sets <paramref name="propertyName"/> in the project file (the one that wins), else the file.</summary>
    public SourceLocation LocateProperty(string propertyName)
    {
        var document = Load(ProjectFile);
        var element = document?.Descendants()
            .LastOrDefault(e => e.Name.LocalName == propertyName && e.Parent?.Name.LocalName == "PropertyGroup");
        return element is null ? new SourceLocation(ProjectFile, 0, 0) : At(ProjectFile, element);
    }

    private static string KindOf(XElement element)
        => (element.Attribute("Kind")?.Value ?? element.Elements().FirstOrDefault(c => c.Name.LocalName == "Kind")?.Value ?? "").Trim();

    // MSBuild splits Include on ';' and unescapes %XX; compare the same way.
    private static bool IncludeLists(XElement element, string itemSpec)
        => (element.Attribute("Include")?.Value ?? "")
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(part => string.Equals(Unescape(part), itemSpec, StringComparison.Ordinal));

    private static string Unescape(string text)
    {
        if (!text.Contains('%')) return text;
        var builder = new System.Text.StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '%' && i + 2 < text.Length && IsHex(text[i + 1]) && IsHex(text[i + 2]))
            {
                builder.Append((char)Convert.ToInt32(text.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                builder.Append(text[i]);
            }
        }
        return builder.ToString();
    }

    private static bool IsHex(char c) => Uri.IsHexDigit(c);

    // XmlReader reports the column of the element NAME; MSBuild reports the column of its '<'.
    private static SourceLocation At(string file, XElement element)
        => element is IXmlLineInfo info && info.HasLineInfo()
            ? new SourceLocation(file, info.LineNumber, Math.Max(1, info.LinePosition - 1))
            : new SourceLocation(file, 0, 0);

    private XDocument? Load(string file)
    {
        if (_documents.TryGetValue(file, out var cached)) return cached;
        XDocument? document;
        try
        {
            document = File.Exists(file) ? XDocument.Load(file, LoadOptions.SetLineInfo) : null;
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            // An unreadable file only costs precision: the error still names the project.
            document = null;
        }
        _documents[file] = document;
        return document;
    }
}
