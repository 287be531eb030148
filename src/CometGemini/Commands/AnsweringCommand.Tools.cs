using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using CometGemini.Generation;

namespace CometGemini.Commands;

// Running the model's function calls (ToolRounds): the parameters that steer it.
public abstract partial class AnsweringCommand
{
    [Parameter]
    [ValidateRange(0, 1000)]
    public int MaxToolCalls { get; set; } = 10;

    [Parameter]
    public SwitchParameter NoToolExecution { get; set; }

    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// After an answer: runs the function calls it asks for and adds them and their results to the request; false when
    /// the answer is final (see <see cref="ToolRounds.Continue"/>).
    /// </summary>
    private protected bool ContinueWithTools(GenerateContentRequest request, Content? answer, List<ToolCall> made) =>
        new ToolRounds(this, Tools.Concat(Chat?.Tools ?? Enumerable.Empty<GeminiTool>()).ToList(), MaxToolCalls, NoToolExecution.IsPresent, Force.IsPresent)
            .Continue(request, answer, made);
}
