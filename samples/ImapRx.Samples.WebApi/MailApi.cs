using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Extensions.Hosting;
using ImapRx.Fetching;

namespace ImapRx.Samples.WebApi;

/// <summary>GET /folders, GET /folders/{folder} and GET /health for the account configured under Imap:Accounts.</summary>
public static class MailApi
{
    /// <summary>Builds the app on <paramref name="builder"/> (Program.cs passes <c>WebApplication.CreateBuilder(args)</c>).</summary>
    public static WebApplication Build(WebApplicationBuilder builder)
    {
        // begin-snippet: webapi
        builder.AddImapRx(); // the "Imap" section: appsettings.json, user secrets, environment variables
        builder.Services.AddHealthChecks().AddImapRx(); // pool statistics and a NOOP
        var app = builder.Build();
        app.MapHealthChecks("/health");

        app.MapGet("/folders", (IImapRxClient mail, CancellationToken aborted) =>
            mail.Folders().ToList().ToTask(aborted));

        app.MapGet("/folders/{**folder}", async (string folder, uint? sinceUid, int? limit, IImapRxClient mail, CancellationToken aborted) =>
        {
            try
            {
                var options = new FetchOptions { SinceUid = sinceUid ?? 0, Limit = Math.Clamp(limit ?? 50, 1, 500) };
                return Results.Ok(await mail.Messages(folder, options).ToList().ToTask(aborted));
            }
            catch (ImapFolderNotFoundException ex)
            {
                return Results.NotFound(new { error = ex.Message });
            }
        });
        // end-snippet
        return app;
    }
}
