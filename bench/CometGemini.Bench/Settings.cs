using System.Collections.Generic;
using System.IO;

namespace CometGemini.Bench;

/// <summary>How much of each benchmark to run (--quick for a run of a few minutes) and the notes gathered for the report.</summary>
internal sealed class Settings
{
    public const string ApiKey = "bench-key";

    private static readonly List<string> NotesList = new();

    public bool Quick { get; init; }

    public int Calls => Quick ? 500 : 3000;

    // Rounds interleaved, as the load on the machine drifts; long enough that a user's continuous loop is what is measured
    // (each round starts a pipeline, and its first calls run on cold caches).
    public int Rounds => Quick ? 5 : 12;

    public int WarmupRound => 1000;

    public System.TimeSpan WarmupLimit => System.TimeSpan.FromSeconds(Quick ? 20 : 60);

    public int StreamChunks => Quick ? 60 : 200;

    public int ImportRuns => Quick ? 3 : 7;

    public int MemoryRuns => Quick ? 1 : 3;

    /// <summary>The manifest of the empty binary module, written beside this program's copy of EmptyModule.dll.</summary>
    public string EmptyManifest { get; init; } = "";

    public static IReadOnlyList<string> Notes => NotesList;

    public static void Note(string text)
    {
        lock (NotesList)
            NotesList.Add(text);
    }

    public static string WriteEmptyManifest()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cometgemini-bench-empty", "EmptyModule");
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(System.AppContext.BaseDirectory, "EmptyModule.dll"), Path.Combine(dir, "EmptyModule.dll"), overwrite: true);
        string manifest = Path.Combine(dir, "EmptyModule.psd1");
        File.WriteAllText(manifest, """
            @{
                RootModule        = 'EmptyModule.dll'
                ModuleVersion     = '1.0.0'
                GUID              = 'a1f3a0f6-93a2-4a43-9f0e-0b1a5d9c2e77'
                CmdletsToExport   = @('Get-Nothing')
                FunctionsToExport = @()
                VariablesToExport = @()
                AliasesToExport   = @()
            }
            """);
        return manifest;
    }
}
