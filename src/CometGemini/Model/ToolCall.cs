using System.Text.Json;

namespace CometGemini;

/// <summary>One function call the module ran for the model (-Tool): what was asked, and what went back.</summary>
public sealed class ToolCall
{
    public ToolCall(FunctionCall call, JsonElement response, bool succeeded)
    {
        Name = call.Name ?? string.Empty;
        Id = call.Id;
        Arguments = call.Args;
        Response = response;
        Succeeded = succeeded;
    }

    public string Name { get; }

    public string? Id { get; }

    /// <summary>The arguments as the model sent them (JSON).</summary>
    public JsonElement? Arguments { get; }

    /// <summary>What was sent back as functionResponse.response: {"output": ...} or {"error": ...}.</summary>
    public JsonElement Response { get; }

    /// <summary>False when the command failed, was declined, or is unknown (the model was told so).</summary>
    public bool Succeeded { get; }

    public override string ToString() => new FunctionCall { Name = Name, Args = Arguments }.ToString();
}
