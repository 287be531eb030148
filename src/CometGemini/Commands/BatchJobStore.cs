using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using CometGemini.Client;

namespace CometGemini.Commands;

/// <summary>
/// The local record of each batch job's inputs, one JSON file a job: $env:COMETGEMINI_BATCH_FOLDER when set, else
/// CometGemini/batches under the user's local application data ($env:LOCALAPPDATA on Windows, ~/.local/share on Linux,
/// ~/Library/Application Support on macOS). The file holds the inputs' text and paths, never the API key. The folder is
/// owner-only (0700) and each file 0600; on Windows the user profile's ACL keeps others out. A job's requests, when they
/// go as a file, are written in uploads/ there, and removed when the upload is over.
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

    private const string UploadsFolder = "uploads";

    /// <summary>The record's path for a job named "batches/abc": …/abc.json. IOException for a name that cannot be a file name.</summary>
    public static string PathFor(string jobName) =>
        IsFileName(jobName)
            ? Path.Combine(Folder, Id(jobName) + ".json")
            : throw new IOException($"The server named the job '{FunctionCall.Visible(jobName)}', which cannot be a file name (a '\\', '/' or '..' in its id), so no record of its inputs is kept or read.");

    /// <summary>
    /// Whether the server's job name gives a safe file name: "batches/" (or another one-word collection) and an id of
    /// letters, digits, '-', '_' and single dots; no other '/', no '\\', no "..".
    /// </summary>
    public static bool IsFileName(string jobName) => SafeNamePattern.IsMatch(jobName) && !jobName.Contains("..");

    /// <summary>
    /// A new owner-only folder for one job's request file: uploads/&lt;process id&gt;-&lt;guid&gt;.
    /// </summary>
    public static string NewUploadFolder()
    {
        PrivateFiles.CreateFolder(Folder);
        string uploads = Path.Combine(Folder, UploadsFolder);
        PrivateFiles.CreateFolder(uploads);
        string folder = Path.Combine(uploads, CurrentProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
        PrivateFiles.CreateFolder(folder);
        return folder;
    }

    /// <summary>Removes the request files of sessions that are gone; the running ones' (any process) are left alone.</summary>
    public static void RemoveLeftovers() => RemoveLeftovers(Path.Combine(Folder, UploadsFolder));

    private static void RemoveLeftovers(string uploads)
    {
        if (!Directory.Exists(uploads))
            return;
        foreach (string folder in Directory.GetDirectories(uploads))
        {
            string name = Path.GetFileName(folder);
            int dash = name.IndexOf('-');
            if (dash > 0 && int.TryParse(name.Substring(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && IsRunning(pid))
                continue;
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // in use or not ours: tried again at the next start
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using Process process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>Writes the record (whole, or not at all); returns its path. Throws IOException and the like.</summary>
    public static string Save(BatchJobRecord record)
    {
        string path = PathFor(record.Name);
        PrivateFiles.CreateFolder(Path.GetDirectoryName(path)!);
        string partial = path + ".partial";
        using (var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            PrivateFiles.OwnerOnly(partial); // before the inputs are in it
            byte[] json = JsonSerializer.SerializeToUtf8Bytes(record, GeminiJsonContext.Default.BatchJobRecord);
            file.Write(json, 0, json.Length);
        }

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

    private static readonly Regex SafeNamePattern = new("^([A-Za-z]+/)?[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$", RegexOptions.CultureInvariant);

    private static readonly int CurrentProcessId = GetCurrentProcessId();

    private static int GetCurrentProcessId()
    {
        using Process current = Process.GetCurrentProcess();
        return current.Id;
    }
}
