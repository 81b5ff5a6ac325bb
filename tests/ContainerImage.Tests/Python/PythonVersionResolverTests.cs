using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Python;

namespace ContainerImage.Tests.Python;

[TestClass]
public sealed class PythonVersionResolverTests
{
    [TestMethod]
    [DataRow(null, "3.12", DisplayName = "no specifier: default")]
    [DataRow("", "3.12", DisplayName = "empty specifier: default")]
    [DataRow(">=3.10,<3.13", "3.12", DisplayName = "range containing the default")]
    [DataRow(" >= 3.10 , < 3.13 ", "3.12", DisplayName = "whitespace around operators and versions")]
    [DataRow(">=3.13", "3.14", DisplayName = "default excluded: highest satisfying")]
    [DataRow(">=3.9,<3.12", "3.11", DisplayName = "upper bound below the default")]
    [DataRow("~=3.11", "3.12", DisplayName = "compatible release major.minor")]
    [DataRow("~=3.11.2", "3.11", DisplayName = "compatible release major.minor.patch")]
    [DataRow("~=3.9, !=3.12.*", "3.14", DisplayName = "compatible release with an exclusion")]
    [DataRow("==3.12.*", "3.12", DisplayName = "prefix match")]
    [DataRow("==3.10.*", "3.10", DisplayName = "prefix match other than the default")]
    [DataRow("==3.*", "3.12", DisplayName = "major prefix")]
    [DataRow("!=3.12.*", "3.14", DisplayName = "excluded default prefix")]
    [DataRow("!=3.12.*,<3.14", "3.13", DisplayName = "excluded default prefix below a bound")]
    [DataRow("!=3.12", "3.12", DisplayName = "!= without prefix only excludes 3.12.0")]
    [DataRow("!=3.12.0,!=3.12.1,<3.12.2", "3.11", DisplayName = "every 3.12 patch below the bound excluded")]
    [DataRow(">3.9", "3.12", DisplayName = "exclusive lower bound")]
    [DataRow(">3.12", "3.12", DisplayName = ">3.12 admits 3.12.1")]
    [DataRow("<=3.11", "3.11", DisplayName = "inclusive upper bound")]
    [DataRow("<=3.12", "3.12", DisplayName = "inclusive upper bound at the default")]
    [DataRow("<3.12", "3.11", DisplayName = "exclusive upper bound at the default")]
    [DataRow("==3.12", "3.12", DisplayName = "exact with zero padding")]
    [DataRow("==3.11.4", "3.11", DisplayName = "exact patch")]
    [DataRow("===3.11.7", "3.11", DisplayName = "arbitrary equality with a full version")]
    [DataRow(">=3.13.0rc1", "3.14", DisplayName = "pre-release lower bound")]
    [DataRow(">=3.10.0a1", "3.12", DisplayName = "alpha lower bound")]
    [DataRow("<3.12.0rc1", "3.11", DisplayName = "pre-release upper bound excludes the final")]
    [DataRow(">3.12.5.post1,<3.13", "3.12", DisplayName = "post-release bound admits the next patch")]
    [DataRow(">=3.12.0.dev1,<3.12.1", "3.12", DisplayName = "dev-release bound")]
    [DataRow(">=v3.10", "3.12", DisplayName = "leading v")]
    [DataRow("==0!3.12.*", "3.12", DisplayName = "explicit epoch 0")]
    [DataRow(">=3.9.0-1,<3.10", "3.9", DisplayName = "implicit post-release spelling")]
    [DataRow("<3.10", "3.9", DisplayName = "oldest supported")]
    public void ChoosesTheDocumentedVersion(string? specifier, string expected)
    {
        Assert.AreEqual(PythonVersion.Parse(expected), PythonVersionResolver.Resolve(specifier, "test.py"));
    }

    [TestMethod]
    [DataRow(">=3.15")]
    [DataRow("<3.9")]
    [DataRow("==2.7.*")]
    [DataRow("===3.12", DisplayName = "=== compares text and no Python release is called '3.12'")]
    [DataRow("==3.12.5,!=3.12.5")]
    [DataRow("==3.13.0rc1", DisplayName = "only a pre-release")]
    [DataRow(">=3.12,<3.12")]
    public void ReportsUnsatisfiableSpecifiersWithTheSupportedVersions(string specifier)
    {
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => PythonVersionResolver.Resolve(specifier, "app.py"));
        Assert.AreEqual(DiagnosticCodes.UnsatisfiableRequiresPython, e.Code);
        StringAssert.Contains(e.Message, "app.py");
        StringAssert.Contains(e.Message, "3.9, 3.10, 3.11, 3.12, 3.13, 3.14");
    }

    [TestMethod]
    [DataRow(">=")]
    [DataRow("3.12", DisplayName = "no operator")]
    [DataRow(">=3.12,", DisplayName = "empty clause")]
    [DataRow("=>3.12")]
    [DataRow("~=3", DisplayName = "compatible release needs two numbers")]
    [DataRow(">=3.12.*", DisplayName = "prefix with an ordered operator")]
    [DataRow("==3.12rc1.*", DisplayName = "prefix with a pre-release")]
    [DataRow(">=1!3.12", DisplayName = "non-zero epoch")]
    [DataRow("==3.12+local", DisplayName = "local version")]
    [DataRow(">=3.12.1.1", DisplayName = "four release numbers")]
    [DataRow(">=three")]
    [DataRow(">=3.10\n<3.13", DisplayName = "newline")]
    public void RefusesInvalidSpecifiersWithACode(string specifier)
    {
        var e = Assert.ThrowsExactly<ImageDefinitionException>(() => PythonVersionResolver.Resolve(specifier, "app.py"));
        Assert.AreEqual(DiagnosticCodes.InvalidRequiresPython, e.Code);
        StringAssert.StartsWith(e.Message, "CIMG2060: ");
    }

    [TestMethod]
    public void ExclusionsAreFiltersAndOrderedClausesAnIntersection()
    {
        var set = PythonSpecifierSet.Parse(">=3.10,<3.13,!=3.11.*", "x");
        Assert.AreEqual("[3.10.0, 3.13.0)", set.Allowed.ToString());
        Assert.AreEqual(1, set.Excluded.Count);
        Assert.IsFalse(set.IsSatisfiedBy(new PythonVersion(3, 11)));
        Assert.IsTrue(set.IsSatisfiedBy(new PythonVersion(3, 10)));
        Assert.IsFalse(set.IsSatisfiedBy(new PythonVersion(3, 13)));
    }

    [TestMethod]
    public void AMinorSatisfiesWhenOnlyAMiddlePatchDoes()
    {
        // Neither 3.11.0 nor a late patch satisfies; 3.11.5 alone does.
        var set = PythonSpecifierSet.Parse(">3.11.4,<3.11.6", "x");
        Assert.IsTrue(set.IsSatisfiedBy(new PythonVersion(3, 11)));
        Assert.IsFalse(set.IsSatisfiedBy(new PythonVersion(3, 12)));
        Assert.AreEqual(new PythonVersion(3, 11), PythonVersionResolver.Resolve(">3.11.4,<3.11.6", "x"));
    }
}
