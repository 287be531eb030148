using System.Management.Automation;

namespace CometGemini.Commands;

/// <summary>
/// The object under PowerShell's PSObject wrapper, in the two forms the module needs. Parameters, pipeline items and
/// dictionary values may each arrive wrapped or bare; code that tests a value's type or reads it looks through the wrapper.
/// </summary>
internal static class PSObjects
{
    /// <summary>
    /// The wrapped object, or <paramref name="value"/> itself when it is not a PSObject. A [pscustomobject] comes out as
    /// the empty PSCustomObject placeholder (its properties are on the wrapper): for type tests and plain values.
    /// </summary>
    public static object? BaseObject(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;

    /// <summary>
    /// The wrapped object, except that a [pscustomobject] (an Import-Csv row, a ConvertFrom-Json object) stays wrapped,
    /// because its properties live on the wrapper: for values whose data is read.
    /// </summary>
    public static object? UnwrapUnlessCustom(object? value) =>
        value is PSObject wrapped && wrapped.BaseObject is not PSCustomObject ? wrapped.BaseObject : value;
}
