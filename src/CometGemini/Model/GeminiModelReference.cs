using System.Globalization;

namespace CometGemini;

/// <summary>What Test-GeminiModelReference found: a model id in a file, and whether the endpoint still serves it.</summary>
public sealed class GeminiModelReference
{
    /// <summary>The full path of the file.</summary>
    public string Path { get; set; } = string.Empty;

    public int LineNumber { get; set; }

    /// <summary>The line, trimmed and cut to 200 characters.</summary>
    public string Line { get; set; } = string.Empty;

    /// <summary>The model id as written ("models/" left out).</summary>
    public string Model { get; set; } = string.Empty;

    /// <summary>Current, Deprecated (the endpoint's modelStatus says so), NotListed (the endpoint does not list it) or Unknown (no list to check; not a model this module knows).</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>The endpoint's lifecycle text for a deprecated model, or what was checked against.</summary>
    public string? Detail { get; set; }

    public override string ToString() =>
        string.Format(CultureInfo.InvariantCulture, "{0}:{1}: {2} ({3})", Path, LineNumber, Model, Status);
}
