using System.Runtime.Versioning;

// The code under test reads the Linux user database and runs the shadow suite.
[assembly: SupportedOSPlatform("linux")]
