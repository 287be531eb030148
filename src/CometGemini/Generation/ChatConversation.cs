using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace CometGemini.Generation;

/// <summary>
/// The history side of Enter-GeminiChat, apart from any console: each question becomes a request after the chat's
/// history, each answer (whole, or what came before an error or Ctrl+C) joins it, and /retry, /clear, /model and /save
/// change or write the chat. The chat object is the one the user holds (Enter-GeminiChat -Chat), updated in place.
/// </summary>
internal sealed class ChatConversation
{
    private readonly GenerateContentRequest _options;

    /// <param name="chat">The chat to keep the turns in.</param>
    /// <param name="options">The request options without contents (RequestBuilder over the chat's settings).</param>
    public ChatConversation(GeminiChat chat, GenerateContentRequest options)
    {
        Chat = chat;
        _options = options;
    }

    public GeminiChat Chat { get; }

    /// <summary>The request for <paramref name="question"/>: the history, then the question as a user turn.</summary>
    public GenerateContentRequest Ask(string question)
    {
        var contents = new List<Content>(Chat.History) { new() { Role = "user", Parts = new List<Part> { PartFactory.FromText(question) } } };
        return new GenerateContentRequest
        {
            Contents = contents,
            SystemInstruction = _options.SystemInstruction,
            GenerationConfig = _options.GenerationConfig,
            Tools = _options.Tools,
            ToolConfig = _options.ToolConfig,
            SafetySettings = _options.SafetySettings,
            CachedContent = _options.CachedContent,
            ExtensionData = _options.ExtensionData,
        };
    }

    /// <summary>
    /// After an answer to <paramref name="request"/>: the turns it added (the question, tool rounds) and the answer join
    /// the history. An answer cut short (<paramref name="complete"/> false) keeps the parts that came, but not a function
    /// call no one answered, so the history stays a conversation the server takes. False when nothing came: then the
    /// question is not kept either, and the chat stays as it was.
    /// </summary>
    public bool Answered(GenerateContentRequest request, Content? answer, bool complete)
    {
        List<Part> parts = answer?.Parts?.Where(p => complete || p.FunctionCall is null).ToList() ?? new List<Part>();
        if (parts.Count == 0)
            return false;
        Chat.History.AddRange(request.Contents.Skip(Chat.History.Count));
        Chat.History.Add(new Content { Role = answer!.Role ?? "model", Parts = parts, ExtensionData = answer.ExtensionData });
        return true;
    }

    /// <summary>/retry: takes the last question and everything after it out of the history and returns it, to ask again; null when there is none.</summary>
    public string? TakeLastQuestion()
    {
        for (int i = Chat.History.Count - 1; i >= 0; i--)
        {
            Content turn = Chat.History[i];
            if (turn.Role == "user" && turn.Parts?.Any(p => p.Text is not null) == true)
            {
                string question = string.Concat(turn.Parts.Where(p => p.Text is not null).Select(p => p.Text));
                Chat.History.RemoveRange(i, Chat.History.Count - i);
                return question;
            }
        }

        return null;
    }

    /// <summary>/clear: the history goes, the model and settings stay.</summary>
    public void Clear() => Chat.History.Clear();

    /// <summary>/model: the chat asks <paramref name="model"/> from now on (and is saved with it).</summary>
    public void SwitchModel(string model) => Chat.Model = model;

    /// <summary>/save: the chat as Export-GeminiChat writes it (no key or endpoint in it).</summary>
    public void Save(string path) => File.WriteAllBytes(path, Chat.ToJson());
}
