namespace NativeCam.Cam.Tests;

/// <summary>How the test run itself is set up: README's test command is the CI's, and dataset tests skip with a reason.</summary>
public class TestRunTests
{
    private const string TestCommand = "dotnet test NativeCam.sln -c Release";

    [Fact]
    public void ReadmeTestCommandIsWhatCiRuns()
    {
        var readme = File.ReadAllLines(TestData.Repo("README.md")).Select(l => l.Trim()).ToArray();
        var quickStart = readme.SkipWhile(l => l != "## Quick start").Skip(1).TakeWhile(l => !l.StartsWith("## ")).ToArray();
        Assert.Contains(TestCommand, quickStart);
        var ci = File.ReadAllLines(TestData.Repo(".ci/run")).Select(l => l.Trim()).Where(l => !l.StartsWith('#')).ToArray();
        var runs = ci.Where(l => l.StartsWith("dotnet test")).ToArray();
        Assert.Equal([TestCommand + " 2>&1 | tee \"$log\""], runs);
        Assert.Contains(ci, l => l.Contains(DatasetFactAttribute.ImageNetDir + "="));
    }

    [Fact]
    public void DatasetTestIsSkippedWithTheReasonWhenItsVariableIsUnset()
    {
        var variable = "NATIVECAM_TEST_DATASET_" + Guid.NewGuid().ToString("N");
        var fact = new DatasetFactAttribute(variable, "some photos");
        Assert.NotNull(fact.Skip);
        Assert.Contains(variable, fact.Skip);
        Assert.Contains("some photos", fact.Skip);
        Assert.Equal($"TestRunTests.{nameof(DatasetTestIsSkippedWithTheReasonWhenItsVariableIsUnset)} ({fact.Skip})", fact.DisplayName);
        Assert.Throws<InvalidOperationException>(() => DatasetFactAttribute.Folder(variable));
    }

    [Fact]
    public void DatasetTestRunsWhenItsVariableIsSet()
    {
        var variable = "NATIVECAM_TEST_DATASET_" + Guid.NewGuid().ToString("N");
        var dir = Directory.CreateTempSubdirectory("nativecam-dataset-").FullName;
        try
        {
            Environment.SetEnvironmentVariable(variable, dir);
            var fact = new DatasetFactAttribute(variable, "some photos");
            Assert.Null(fact.Skip);
            Assert.Null(fact.DisplayName);
            Assert.Equal(dir, DatasetFactAttribute.Folder(variable));
            Environment.SetEnvironmentVariable(variable, Path.Combine(dir, "missing"));
            var e = Assert.Throws<DirectoryNotFoundException>(() => DatasetFactAttribute.Folder(variable));
            Assert.Contains(Path.Combine(dir, "missing"), e.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
            Directory.Delete(dir);
        }
    }
}
