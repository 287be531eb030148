using System.Collections.Generic;
using System.Text.Json;

namespace CometGemini;

/// <summary>
/// The error body of both Google (<c>code</c> number, <c>status</c>, <c>details</c>) and CometAPI
/// (<c>code</c> string, <c>type</c>, no status); see docs/wire.md §7.1.
/// </summary>
internal sealed class ErrorEnvelope
{
    public ErrorBody? Error { get; set; }
}

internal sealed class ErrorBody
{
    public JsonElement? Code { get; set; }
    public string? Message { get; set; }
    public string? Status { get; set; }
    public string? Type { get; set; }
    public List<JsonElement>? Details { get; set; }
}
