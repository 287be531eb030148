using System.Management.Automation;
using System.Security;

namespace CometGemini.Commands;

/// <summary>Lets -ApiKey take a plain string as well as a SecureString; either way the cmdlet holds a SecureString.</summary>
internal sealed class SecureStringTransformationAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        object? value = PSObjects.BaseObject(inputData);
        if (value is not string text)
            return value;

        var secure = new SecureString();
        foreach (char c in text)
            secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }
}
