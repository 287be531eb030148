using System;
using System.IO;

namespace CometGemini.Tests.Harness;

public static class TempDir
{
    public static string Create()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cometgemini-tests", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
