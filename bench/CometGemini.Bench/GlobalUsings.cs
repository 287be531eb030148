// The test suite's helpers, linked (not copied): where out/CometGemini is, and loading CometGemini.dll from there.
global using CometGemini.Tests.Harness;
