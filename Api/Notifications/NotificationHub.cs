using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Pgo.Api.Notifications;

/// <summary>
/// <c>/hubs/notifications</c>: every signed-in connection joins the group of its own person and receives
/// <see cref="NotificationSink.Message"/> (the unread count, and the newest notification) whenever something is added
/// for them or they mark something read on another device. It accepts no calls: what a person is told was decided
/// when the notification was made (Api/Notifications/README.md). Token as for /hubs/dossier (header or access_token).
/// </summary>
[Authorize]
public sealed class NotificationHub : Hub
{
    public override async Task OnConnectedAsync()
    {
        if (NotificationRecipient.KeyOf(Context.User) is not { } key)
        {
            Context.Abort();
            return;
        }
        await Groups.AddToGroupAsync(Context.ConnectionId, NotificationRecipient.Group(key));
    }
}
