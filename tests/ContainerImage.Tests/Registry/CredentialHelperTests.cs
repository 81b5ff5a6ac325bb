using ContainerImage.Diagnostics;
using ContainerImage.Model;
using ContainerImage.Registry;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class CredentialHelperTests
{
    [TestMethod]
    public async Task RunsTheHelperWithTheServerAddressOnStdin()
    {
        using var folder = new TempDirectory();
        var seen = Path.Combine(folder.Path, "seen");
        folder.WriteExecutable("docker-credential-cimgunit",
            $"#!/bin/sh\n[ \"$1\" = get ] || exit 9\ncat > '{seen}'\necho '{{\"Username\":\"u\",\"Secret\":\"s3cr3t\"}}'\n");
        using var path = EnvironmentScope.PrependPath(folder.Path);
        var credentials = await CredentialHelper.GetAsync("cimgunit", "reg.example:5000", TimeSpan.FromSeconds(10), null, CancellationToken.None);
        Assert.AreEqual("u", credentials!.Username);
        Assert.AreEqual("s3cr3t", credentials.Secret);
        Assert.AreEqual("reg.example:5000", File.ReadAllText(seen));
    }

    [TestMethod]
    public void NotFoundIsAnonymousWithoutAWarning()
    {
        var warnings = new List<ImageProblem>();
        Assert.IsNull(CredentialHelper.Interpret("x", "reg", 1, "credentials not found in native keychain\n", warnings.Add));
        Assert.AreEqual(0, warnings.Count);
    }

    [TestMethod]
    public void AFailureIsACimg1004WarningWithoutTheHelpersOutput()
    {
        var warnings = new List<ImageProblem>();
        Assert.IsNull(CredentialHelper.Interpret("x", "reg", 2, "boom leaked-token", warnings.Add));
        Assert.AreEqual(DiagnosticCodes.CredentialHelperFailed, warnings.Single().Code);
        Assert.IsFalse(warnings[0].Message.Contains("leaked-token"));
        Assert.IsNull(CredentialHelper.Interpret("x", "reg", 0, "not json s3cr3t", warnings.Add));
        Assert.IsFalse(warnings[1].Message.Contains("s3cr3t"));
    }

    [TestMethod]
    public async Task AMissingHelperIsAWarning()
    {
        var warnings = new List<ImageProblem>();
        Assert.IsNull(await CredentialHelper.GetAsync("cimg-none-" + Guid.NewGuid().ToString("N"), "reg", TimeSpan.FromSeconds(5), warnings.Add, CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.CredentialHelperFailed, warnings.Single().Code);
    }

    [TestMethod]
    public async Task AHelperNameThatIsNotANameIsRefusedWithoutRunningAnything()
    {
        var warnings = new List<ImageProblem>();
        Assert.IsNull(await CredentialHelper.GetAsync("../../bin/sh", "reg", TimeSpan.FromSeconds(5), warnings.Add, CancellationToken.None));
        Assert.AreEqual(DiagnosticCodes.CredentialHelperFailed, warnings.Single().Code);
    }
}
