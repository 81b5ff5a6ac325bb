using ContainerImage.Build;
using ContainerImage.Model;
using ContainerImage.Tests.Infrastructure;

namespace ContainerImage.Tests.Build;

[TestClass]
public sealed class SecretRedactorTests
{
    [TestMethod]
    public void MasksEnvironmentAndFileSecretValues()
    {
        using var folder = new TempDirectory();
        var file = folder.Write("pw", "file-secret-value\n");
        var redactor = SecretRedactor.For(
            [Secret.AsEnvironmentVariable("a", sourceVariable: "A"), Secret.AsEnvironmentVariable("b").FromFile(file)],
            name => name == "A" ? "env-secret-value" : null);
        Assert.AreEqual("x *** y *** z", redactor.Redact("x env-secret-value y file-secret-value z"));
    }

    [TestMethod]
    public void LeavesShortValuesAndOtherTextAlone()
    {
        var redactor = SecretRedactor.For([Secret.AsEnvironmentVariable("a")], _ => "abc");
        Assert.AreEqual("abc is short", redactor.Redact("abc is short"));
    }

    [TestMethod]
    public void MasksALongerValueWholeWhenItContainsAShorterOne()
    {
        var redactor = SecretRedactor.For(
            [Secret.AsEnvironmentVariable("a", sourceVariable: "A"), Secret.AsEnvironmentVariable("b", sourceVariable: "B")],
            name => name == "A" ? "hunter" : "hunter2hunter2");
        Assert.AreEqual("pw=***", redactor.Redact("pw=hunter2hunter2"));
    }
}
