using System;

namespace CometGemini.Client;

/// <summary>What the client tells about its work; the cmdlets route it to the verbose and debug streams.</summary>
public interface IClientLog
{
    bool IsDebugEnabled { get; }

    /// <summary>False when nobody will see verbose lines: the client then does not build them.</summary>
    bool IsVerboseEnabled { get; }

    void Verbose(string message);

    void Debug(string message);

    /// <summary>
    /// A wait long enough to notice (a retry the server holds back, <paramref name="why"/> says for what), told again
    /// as it counts down; <paramref name="left"/> is zero when it is over.
    /// </summary>
    void Waiting(string why, TimeSpan total, TimeSpan left);
}
