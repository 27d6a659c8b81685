using Toolgrid.Core.Identity;

namespace Toolgrid.Server.Identity;

/// <summary>Says which token scope an endpoint needs (see <see cref="RequiredScope"/>).</summary>
public static class RequiredScopeExtensions
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, TokenScope scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScope(scope));
}
