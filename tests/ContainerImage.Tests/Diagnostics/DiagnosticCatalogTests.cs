using System.Reflection;
using System.Text.RegularExpressions;
using ContainerImage.Diagnostics;

namespace ContainerImage.Tests.Diagnostics;

/// <summary>One code per cause, each with a message and a documented entry.</summary>
[TestClass]
public sealed partial class DiagnosticCatalogTests
{
    private static IReadOnlyList<(string Name, string Code)> Codes() =>
        typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!))
            .ToList();

    [TestMethod]
    public void CodesAreUniqueAndWellFormed()
    {
        var codes = Codes();
        Assert.IsTrue(codes.Count > 40, "the catalogue should list every code");
        foreach (var (name, code) in codes)
        {
            Assert.IsTrue(CodePattern().IsMatch(code), $"{name} = {code} is not CIMGnnnn");
        }
        var duplicates = codes.GroupBy(c => c.Code).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.AreEqual(0, duplicates.Count, "duplicate codes: " + string.Join(", ", duplicates));
    }

    [TestMethod]
    public void EveryCodeHasAMessageThatStartsWithIt()
    {
        foreach (var (name, code) in Codes())
        {
            var text = DiagnosticMessages.ResourceManager.GetString(code);
            Assert.IsNotNull(text, $"{name} ({code}) has no message in Strings.resx");
            StringAssert.StartsWith(text, code + ": ", $"{code}'s message must start with its code");
        }
    }

    [TestMethod]
    public void EveryCodeIsDocumented()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "diagnostics.md"));
        var missing = Codes().Where(c => !doc.Contains("## " + c.Code, StringComparison.Ordinal)).Select(c => c.Code).ToList();
        Assert.AreEqual(0, missing.Count, "not documented in docs/diagnostics.md: " + string.Join(", ", missing));
        var documented = DocumentedCode().Matches(doc).Select(m => m.Groups[1].Value).ToHashSet();
        var stale = documented.Except(Codes().Select(c => c.Code)).ToList();
        Assert.AreEqual(0, stale.Count, "documented but not defined: " + string.Join(", ", stale));
    }

    internal static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ContainerImage.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("ContainerImage.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("^CIMG[1-5][0-9]{3}$")]
    private static partial Regex CodePattern();

    [GeneratedRegex(@"^## (CIMG[0-9]{4})", RegexOptions.Multiline)]
    private static partial Regex DocumentedCode();
}
