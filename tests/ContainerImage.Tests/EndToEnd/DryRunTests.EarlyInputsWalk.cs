namespace ContainerImage.Tests.EndToEnd;

public sealed partial class DryRunTests
{
    [TestMethod]
    public void PublishListsTheInputFilesDuringRestoreAndTheStampUsesThatList()
    {
        var project = Copy("base-uri");
        string[] publish = ["publish", "-t:PublishContainerImage", "-p:ImageDryRun=true", "-v:diag"];
        var early = Succeeded(project, project.Dotnet(publish));
        StringAssert.Contains(early.Output, "Done building target \"_StartImageInputsWalkDuringRestore\"");
        StringAssert.Contains(early.Output, "Started the image inputs walk early.");
        StringAssert.Contains(early.Output, "Image input files listed by the walk started early.");
        var stamp = File.ReadAllText(project.ImageFile("baseuri", "inputs.stamp"));

        var off = Succeeded(project, project.Dotnet([.. publish, "-p:ImageEarlyInputsWalk=false"]));
        Assert.IsFalse(off.Output.Contains("walk started early", StringComparison.Ordinal), "ImageEarlyInputsWalk=false: no early walk");
        Assert.AreEqual(stamp, File.ReadAllText(project.ImageFile("baseuri", "inputs.stamp")), "the same stamp either way");
    }
}
