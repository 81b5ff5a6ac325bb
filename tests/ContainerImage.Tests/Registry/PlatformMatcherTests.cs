using System.Text.Json;
using ContainerImage.Model;
using ContainerImage.Registry;

namespace ContainerImage.Tests.Registry;

[TestClass]
public sealed class PlatformMatcherTests
{
    private static PlatformMatcher.DeclaredPlatform Declared(string json) => PlatformMatcher.Read(JsonDocument.Parse(json).RootElement)!;

    [TestMethod]
    [DataRow("linux/amd64", """{"os":"linux","architecture":"amd64"}""", true)]
    [DataRow("linux/arm64", """{"os":"linux","architecture":"arm64","variant":"v8"}""", true)]
    [DataRow("linux/arm64/v8", """{"os":"linux","architecture":"arm64"}""", true)]
    [DataRow("linux/arm/v7", """{"os":"linux","architecture":"arm","variant":"v6"}""", false)]
    [DataRow("linux/arm", """{"os":"linux","architecture":"arm","variant":"v7"}""", true)]
    [DataRow("linux/amd64", """{"os":"linux","architecture":"arm64"}""", false)]
    [DataRow("linux/amd64", """{"os":"windows","architecture":"amd64"}""", false)]
    public void ComparesWithDefaultVariants(string requested, string declared, bool expected)
        => Assert.AreEqual(expected, PlatformMatcher.Matches(Platform.Parse(requested), Declared(declared)));

    [TestMethod]
    public void AttestationEntriesNeverSatisfyAPlatform()
    {
        var declared = new[] { Declared("""{"os":"linux","architecture":"amd64"}"""), Declared("""{"os":"unknown","architecture":"unknown"}""") };
        var missing = PlatformMatcher.Missing([Platform.LinuxAmd64, Platform.LinuxArm64], declared);
        CollectionAssert.AreEqual(new[] { Platform.LinuxArm64 }, missing.ToArray());
    }

    [TestMethod]
    public void AnObjectWithoutOsOrArchitectureDeclaresNothing()
        => Assert.IsNull(PlatformMatcher.Read(JsonDocument.Parse("""{"os":"linux"}""").RootElement));
}
