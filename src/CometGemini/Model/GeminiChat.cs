using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace CometGemini;

/// <summary>
/// A conversation: the model, the request options every turn uses, and the turns so far. Invoke-GeminiContent
/// and Get-GeminiStream with -Chat send the whole history and add the user and model turns when a call succeeds.
/// Its connection (New-GeminiChat -ApiKey, -BaseUri...) lives only in memory, so a saved chat never contains a key or endpoint.
/// </summary>
public sealed class GeminiChat
{
    /// <summary>The version of the saved form (Export-GeminiChat); Import-GeminiChat refuses newer ones.</summary>
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;

    public string Model { get; set; } = CurrentModels.DefaultModel;

    /// <summary>System instruction, generation config, tools, safety settings, cached content: the request without contents.</summary>
    public GenerateContentRequest Settings { get; set; } = new();

    /// <summary>The turns, oldest first: user, model, user, model... Thought signatures are kept byte for byte.</summary>
    public List<Content> History { get; set; } = new();

    /// <summary>
    /// The tools the chat was made with (New-GeminiChat -Tool): their script blocks and -ReadOnly are not saved with
    /// the chat, so after Import-GeminiChat pass script-block tools again with -Tool (commands are found by name).
    /// </summary>
    [JsonIgnore]
    public List<GeminiTool> Tools { get; } = new();

    /// <summary>The connection parameters New-GeminiChat was given; calls with the chat use them unless they pass their own. Never saved.</summary>
    [JsonIgnore]
    internal GeminiConnection? Connection { get; set; }

    /// <summary>How many user turns the history holds.</summary>
    [JsonIgnore]
    public int Turns => History.Count(c => c.Role == "user");

    /// <summary>The text of the last model turn.</summary>
    [JsonIgnore]
    public string LastAnswer => History.LastOrDefault(c => c.Role == "model")?.Text ?? string.Empty;

    /// <summary>
    /// Keeps only the last <paramref name="turns"/> exchanges. The kept history starts at a user turn that
    /// carries text, not at a function response, so it stays a valid conversation.
    /// </summary>
    public void Trim(int turns)
    {
        if (turns < 0)
            throw new ArgumentOutOfRangeException(nameof(turns), "Keep zero or more turns.");
        if (turns == 0)
        {
            History.Clear();
            return;
        }

        int seen = 0;
        for (int i = History.Count - 1; i >= 0; i--)
        {
            if (History[i].Role == "user" && History[i].Parts?.Any(p => p.Text is not null) == true && ++seen == turns)
            {
                History.RemoveRange(0, i);
                return;
            }
        }
    }

    public override string ToString() => $"{Model} chat, {Turns} turn(s)";

    private static readonly JsonTypeInfo<GeminiChat> SavedForm =
        (JsonTypeInfo<GeminiChat>)new JsonSerializerOptions(GeminiJsonContext.Default.Options) { WriteIndented = true }.GetTypeInfo(typeof(GeminiChat));

    /// <summary>The saved form: indented JSON, the wire's spelling.</summary>
    internal byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, SavedForm);

    /// <summary>A saved chat; <see cref="JsonException"/> (its message a reason, in words) when it is not JSON of that shape.</summary>
    internal static GeminiChat FromJson(byte[] json)
    {
        // A saved chat is a file people edit: an editor's BOM is read through, and nulls where the saved form has
        // objects are dropped (or refused, for the model), so a chat that imports also works (found by BadInputTests).
        using JsonDocument document = JsonDocument.Parse(Client.JsonText.Prepare(json));

        // Every property has a default, so any JSON object (a settings file, a package.json) would read as a new chat:
        // the saved form always writes "format", and a file without it is not one.
        if (document.RootElement.ValueKind != JsonValueKind.Object)
            throw new JsonException($"it is a JSON {document.RootElement.ValueKind.ToString().ToLowerInvariant()}, not an object with format, model, settings and history.");
        if (!document.RootElement.TryGetProperty("format", out JsonElement format) || format.ValueKind != JsonValueKind.Number)
            throw new JsonException("it is JSON, but has no \"format\" number (a chat saved by Export-GeminiChat has format, model, settings and history).");
        GeminiChat chat = document.Deserialize(SavedForm)!;
        if (string.IsNullOrWhiteSpace(chat.Model))
            throw new JsonException("it names no model.");
        chat.Settings ??= new GenerateContentRequest();
        chat.History = (chat.History ?? new List<Content>()).Where(turn => turn is not null).ToList();
        foreach (Content turn in chat.History)
            turn.Parts?.RemoveAll(part => part is null);
        chat.Settings.Contents = (chat.Settings.Contents ?? new List<Content>()).Where(turn => turn is not null).ToList();
        chat.Settings.Tools?.RemoveAll(tool => tool is null);
        chat.Settings.SafetySettings?.RemoveAll(setting => setting is null);
        chat.Settings.SystemInstruction?.Parts?.RemoveAll(part => part is null);
        return chat;
    }
}
