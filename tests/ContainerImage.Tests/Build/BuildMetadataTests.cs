using ContainerImage.Build;

namespace ContainerImage.Tests.Build;

[TestClass]
public sealed class BuildMetadataTests
{
    private const string Digest = "sha256:1e6d7c05834e6932b7b8aed16e67cca88896b89511f9845a401a00f434915790";

    [TestMethod]
    public void ReadsTheImageDigest()
        => Assert.AreEqual(Digest, BuildMetadata.ParseDigest($$"""{"buildx.build.ref":"x","containerimage.digest":"{{Digest}}"}"""));

    [TestMethod]
    [DataRow("")]
    [DataRow("not json")]
    [DataRow("[]")]
    [DataRow("""{"buildx.build.ref":"default/default/x"}""")]
    [DataRow("""{"containerimage.digest":"sha256:short"}""")]
    [DataRow("""{"containerimage.digest":42}""")]
    public void AnythingElseGivesNoDigest(string json) => Assert.IsNull(BuildMetadata.ParseDigest(json));

    [TestMethod]
    public void AMissingFileGivesNoDigest() => Assert.IsNull(BuildMetadata.ReadDigest(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")));
}
