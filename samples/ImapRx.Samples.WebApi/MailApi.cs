using System.Reactive.Linq;
using System.Reactive.Threading.Tasks;
using ImapRx.Configuration;
using ImapRx.Fetching;
using ImapRx.Pooling;

namespace ImapRx.Samples.WebApi;

/// <summary>GET /folders and GET /folders/{folder}/messages for one account, sharing one connection pool.</summary>
public static class MailApi
{
    public static WebApplication Build(ImapAccountOptions account, string[]? args = null)
    {
        // begin-snippet: webapi
        var builder = WebApplication.CreateBuilder(args ?? Array.Empty<string>());
        builder.Services.AddSingleton(_ => new ImapConnectionPool()); // one pool, shared by every request
        builder.Services.AddSingleton<IImapRxClient>(services => new ImapRxClient(account, services.GetRequiredService<ImapConnectionPool>()));
        var app = builder.Build();

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
