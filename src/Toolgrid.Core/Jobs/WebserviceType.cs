namespace Toolgrid.Core.Jobs;

/// <summary>How a tool's web service is run.</summary>
public enum WebserviceType
{
    /// <summary>The given command, which must listen on <c>$PORT</c>.</summary>
    Generic,

    /// <summary><c>npm start</c> in <c>~/www/js</c>.</summary>
    Node,

    /// <summary>A WSGI or ASGI app from <c>~/www/python</c>.</summary>
    Python,

    /// <summary><c>public_html</c> only, served by the proxy; no process.</summary>
    Static,
}
