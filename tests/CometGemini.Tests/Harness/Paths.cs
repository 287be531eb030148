using System;
using System.IO;

namespace CometGemini.Tests.Harness;

/// <summary>Where the assembled module and the copied fixtures are.</summary>
public static class Paths
{
    public static readonly string RepoRoot = FindRepoRoot();

    public static readonly string ModuleDir = Path.Combine(RepoRoot, "out", "CometGemini");

    public static readonly string Manifest = Path.Combine(ModuleDir, "CometGemini.psd1");

    public static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "Fixtures", relative);

    public static string FixtureText(string relative) => File.ReadAllText(Fixture(relative));

    private static string FindRepoRoot()
    {
        for (string? dir = AppContext.BaseDirectory; dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (File.Exists(Path.Combine(dir, "CometGemini.sln")))
                return dir;
        }

        throw new InvalidOperationException("CometGemini.sln not found above " + AppContext.BaseDirectory);
    }
}
