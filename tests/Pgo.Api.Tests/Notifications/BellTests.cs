using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Pgo.Api.Notifications;
using Pgo.Fhir.Storage;
using Pgo.Shared.Codes;
using Pgo.Shared.Contracts;
using static Pgo.Api.Tests.Realtime.LiveFamily;

namespace Pgo.Api.Tests.Notifications;

/// <summary>The bell's store and API: one notification per person and key, only one's own, read state kept server-side,
/// nothing listed about a dossier the person no longer sees.</summary>
public class BellTests
{
    private static NewNotification For(string recipient, string key, string kind = NotificationKinds.GoalChanged, string? item = "Goal/rt-goal",
        string? section = "doelen") => new(recipient, key, kind, Child, section, item, "Person/rt-parent", "Ouder Live", DateTimeOffset.UtcNow);

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_same_delivery_key_is_stored_once_per_person_and_cursors_only_move_forward(string provider)
    {
        await using var api = new ApiFactory(provider);
        var store = api.Services.GetRequiredService<INotificationStore>();
        var first = await store.AddNotificationAsync(For(Supporter, "outbox:1:doel"));
        first.ShouldNotBeNull();
        (await store.AddNotificationAsync(For(Supporter, "outbox:1:doel"))).ShouldBeNull();
        (await store.AddNotificationAsync(For(Parent, "outbox:1:doel"))).ShouldNotBeNull(); // another person: their own
        (await store.ListNotificationsAsync(Supporter, unreadOnly: false, before: null, count: 10)).ShouldHaveSingleItem().Id.ShouldBe(first.Value);

        (await store.NotificationCursorAsync("test")).ShouldBeNull();
        await store.AdvanceNotificationCursorAsync("test", 10);
        await store.AdvanceNotificationCursorAsync("test", 7); // a slower instance must not move it back
        (await store.NotificationCursorAsync("test")).ShouldBe(10);
        await store.AdvanceNotificationCursorAsync("test", 12);
        (await store.NotificationCursorAsync("test")).ShouldBe(12);

        (await store.FollowAsync(Supporter, Child, "Goal/rt-goal", DateTimeOffset.UtcNow)).ShouldBeTrue();
        (await store.FollowAsync(Supporter, Child, "Goal/rt-goal", DateTimeOffset.UtcNow)).ShouldBeFalse();
        (await store.FollowersAsync("Goal/rt-goal")).ShouldBe([Supporter]);
        (await store.UnfollowAsync(Supporter, "Goal/rt-goal")).ShouldBeTrue();
        (await store.FollowersAsync("Goal/rt-goal")).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task A_person_sees_and_marks_only_their_own_notifications_and_the_unread_state_is_kept_by_the_server(string provider)
    {
        await using var api = new ApiFactory(provider);
        await SeedAsync(api.CreateClient());
        var sink = api.Services.GetRequiredService<NotificationSink>();
        var mine = (await sink.AddAsync(For(Supporter, "k1")))!.Value;
        await sink.AddAsync(For(Supporter, "k2"));
        var parents = (await sink.AddAsync(For(Parent, "k1")))!.Value;

        var supporter = api.ClientAs(Supporter);
        var list = await supporter.GetFromJsonAsync<NotificationList>("/api/notifications");
        list!.Items.Count.ShouldBe(2);
        list.Unread.ShouldBe(2);
        list.Items.ShouldAllBe(n => n.DossierName == "Live" && n.ActorName == "Ouder Live" && !n.Read);

        // Marking someone else's id does nothing to theirs or to one's own.
        (await (await supporter.PostAsJsonAsync("/api/notifications/read", new MarkRead(Ids: [parents]))).Content.ReadFromJsonAsync<UnreadCountMessage>())!.Unread.ShouldBe(2);
        (await api.ClientAs(Parent).GetFromJsonAsync<UnreadSummary>("/api/notifications/unread"))!.Total.ShouldBe(1);

        (await (await supporter.PostAsJsonAsync("/api/notifications/read", new MarkRead(Ids: [mine]))).Content.ReadFromJsonAsync<UnreadCountMessage>())!.Unread.ShouldBe(1);
        // Another device (a new client) sees the same state.
        var again = await api.ClientAs(Supporter).GetFromJsonAsync<NotificationList>("/api/notifications?unread=true");
        again!.Items.ShouldHaveSingleItem().Id.ShouldNotBe(mine);
        (await (await supporter.PostAsJsonAsync("/api/notifications/read", new MarkRead(All: true))).Content.ReadFromJsonAsync<UnreadCountMessage>())!.Unread.ShouldBe(0);

        var empty = await supporter.PostAsJsonAsync("/api/notifications/read", new MarkRead());
        empty.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Theory, MemberData(nameof(ApiFactory.Providers), MemberType = typeof(ApiFactory))]
    public async Task The_list_leaves_out_what_the_person_no_longer_sees_but_keeps_their_own_access_ending(string provider)
    {
        await using var api = new ApiFactory(provider);
        var system = api.CreateClient();
        await SeedAsync(system);
        var sink = api.Services.GetRequiredService<NotificationSink>();
        // The supporter reads doelen only: a notification about a logbook note (stored by mistake, say) is not shown.
        await sink.AddAsync(For(Supporter, "goal"));
        await sink.AddAsync(For(Supporter, "note", NotificationKinds.DocumentShared, "DocumentReference/rt-note", "logboek"));
        (await api.ClientAs(Supporter).GetFromJsonAsync<NotificationList>("/api/notifications"))!.Items.ShouldHaveSingleItem().Item.ShouldBe("Goal/rt-goal");

        // Revoked: the goal goes, the notice of the ending stays (it names only the family).
        (await system.DeleteAsync($"/fhir/Consent/{SupportGrant}")).EnsureSuccessStatusCode();
        await sink.AddAsync(For(Supporter, "ended", NotificationKinds.AccessEnded, item: null, section: null));
        var after = await api.ClientAs(Supporter).GetFromJsonAsync<NotificationList>("/api/notifications");
        after!.Items.ShouldHaveSingleItem().Kind.ShouldBe(NotificationKinds.AccessEnded);
        after.Items[0].DossierName.ShouldBe("Live");
        after.Unread.ShouldBe(1);
    }
}
