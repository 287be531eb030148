using System;
using System.IO;
using System.Text.Json;

namespace CometGemini.Commands;

/// <summary>
/// The local record of each batch job's inputs, one JSON file a job: $env:COMETGEMINI_BATCH_FOLDER when set, else
/// CometGemini/batches under the user's local application data ($env:LOCALAPPDATA on Windows, ~/.local/share on Linux,
/// ~/Library/Application Support on macOS). The file holds the inputs' text and paths, never the API key.
/// </summary>
internal static class BatchJobStore
{
    public const string FolderVariable = "COMETGEMINI_BATCH_FOLDER";

    public static string Folder
    {
        get
        {
            string? chosen = Environment.GetEnvironmentVariable(FolderVariable);
            if (!string.IsNullOrWhiteSpace(chosen))
                return chosen!;
            string data = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
            if (string.IsNullOrEmpty(data))
                data = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cometgemini");
            return Path.Combine(data, "CometGemini", "batches");
        }
    }

    /// <summary>The record's path for a job named "batches/abc": …/abc.json.</summary>
    public static string PathFor(string jobName) => Path.Combine(Folder, Id(jobName) + ".json");

    /// <summary>Writes the record (whole, or not at all); returns its path. Throws IOException and the like.</summary>
    public static string Save(BatchJobRecord record)
    {
        string path = PathFor(record.Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string partial = path + ".partial";
        File.WriteAllBytes(partial, JsonSerializer.SerializeToUtf8Bytes(record, GeminiJsonContext.Default.BatchJobRecord));
        if (File.Exists(path))
            File.Delete(path);
        File.Move(partial, path);
        return path;
    }

    /// <summary>The record of the job, or null when this machine has none. Throws InvalidDataException for an unreadable one.</summary>
    public static BatchJobRecord? Load(string jobName)
    {
        string path = PathFor(jobName);
        if (!File.Exists(path))
            return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), GeminiJsonContext.Default.BatchJobRecord);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The record of {jobName}'s inputs at '{path}' is not readable ({e.Message}).", e);
        }
    }

    public static void Delete(string jobName)
    {
        string path = PathFor(jobName);
        if (File.Exists(path))
            File.Delete(path);
    }

    /// <summary>The input an answer belongs to: a FileInfo for a file, else the prompt text (or the key, when nothing better is known).</summary>
    public static object? InputOf(BatchInputRecord? input, string key) =>
        input?.Path is { } path ? new FileInfo(path) : input?.Text ?? key;

    private static string Id(string jobName) => jobName.Substring(jobName.LastIndexOf('/') + 1);
}
