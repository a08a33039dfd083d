using Scalar.AspNetCore;

namespace Pgo.Api.OpenApi;

/// <summary>
/// The OpenAPI document of the task-shaped <c>/api</c> (<c>/openapi/v1.json</c>) and its reference page (<c>/scalar</c>),
/// served in Development only. <c>/fhir</c> describes itself with its CapabilityStatement (<c>/fhir/metadata</c>) and the
/// hubs are SignalR, so both stay out of the document.
/// </summary>
public static class ApiReference
{
    public const string DocumentUrl = "/openapi/v1.json";

    public static WebApplicationBuilder AddApiReference(this WebApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o => o.ShouldInclude = d => d.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true);
        return builder;
    }

    public static WebApplication MapApiReference(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment()) return app;
        app.MapOpenApi();
        app.MapScalarApiReference(o => o.WithTitle("PGO Api"));
        return app;
    }
}
