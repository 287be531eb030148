using System.Linq;
using System.Management.Automation;

namespace CometGemini.Commands;

[Cmdlet(VerbsCommon.New, "GeminiChat")]
[OutputType(typeof(GeminiChat))]
public sealed class NewGeminiChatCommand : RequestOptionsCommand
{
    [Parameter]
    [Alias("Contents")]
    [ContentTransformation]
    [ValidateNotNull]
    public Content[]? History { get; set; }

    protected override void EndProcessing()
    {
        // The model a chat is made for: -Model, else Connect-Gemini's default.
        Model = ChosenModel(Model);
        var chat = new GeminiChat
        {
            Model = Model,
            Settings = BuildRequestOptions(),
            History = History?.ToList() ?? new(),
            Connection = BoundConnection(),
        };
        chat.Tools.AddRange(Tools);
        WriteObject(chat);
    }
}
