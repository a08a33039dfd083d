using System.Globalization;
using MudBlazor;
using Pgo.Portal.Api;
using Pgo.Shared.Contracts;

namespace Pgo.Portal.Components.Pages;

/// <summary>Berichten: the dossier's conversations (FHIR Communication under /fhir with the person's token, so their
/// access decides what they see and may send). Open a thread, reply, start one with people in the network. A message by
/// someone else comes in live (the dossier feed reloads the screen; the open thread stays open). A failed send keeps the text.</summary>
public partial class Messages
{
    private IReadOnlyList<MessageThread> _threads = [];
    private string? _openId;
    private string? _reply;

    private bool _composing;
    private List<(string Reference, string Name)> _people = [];
    private readonly HashSet<string> _to = new(StringComparer.Ordinal);
    private string? _topic;
    private string? _newText;

    private string? _me;
    private string? _myName;

    private bool CanWrite => Dossier?.CanWrite("berichten") == true;

    /// <summary>A message to open (?bericht={id}, e.g. from "wat is er veranderd"): its conversation is shown.</summary>
    [Microsoft.AspNetCore.Components.SupplyParameterFromQuery(Name = "bericht")] public string? Bericht { get; set; }

    private string? _openedFromLink;

    private MessageThread? Opened => _threads.FirstOrDefault(t => t.Root.Id == _openId);

    [Microsoft.AspNetCore.Components.Inject] private Pgo.Portal.Live.NotificationFeed Marks { get; set; } = default!;

    private bool _marking;

    private static string[] MessageItems(MessageThread thread) => thread.Messages.Select(m => $"Communication/{m.Id}").ToArray();

    /// <summary>How many messages of the conversation the person has not read (the Api's unread marks).</summary>
    private int Unread(MessageThread thread) => MessageItems(thread).Sum(i => Marks.UnreadAbout(Id, i));

    protected override void OnInitialized()
    {
        base.OnInitialized();
        Marks.Changed += OnMarksChanged;
    }

    // A push of the notification hub: the marks are drawn again, and a message that came into the open conversation is read.
    private void OnMarksChanged() => _ = InvokeAsync(async () =>
    {
        await MarkOpenedReadAsync();
        StateHasChanged();
    });

    /// <summary>Opening a conversation marks its messages read (the person sees them now).</summary>
    private async Task MarkOpenedReadAsync()
    {
        if (_marking || Opened is not { } thread || Unread(thread) == 0) return;
        _marking = true;
        // Best effort: a mark that could not be cleared stays, and is cleared on the next visit; the conversation shows anyway.
        try { await Marks.MarkItemsReadAsync(Id, MessageItems(thread)); }
        catch (ApiException) { }
        catch (SignInRequiredException) { }
        finally { _marking = false; }
    }

    public override async ValueTask DisposeAsync()
    {
        Marks.Changed -= OnMarksChanged;
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    protected override async Task LoadAsync()
    {
        var user = await Session.UserAsync();
        _me = user.FindFirst("fhirUser")?.Value;
        _myName = user.Identity?.Name;
        await RunAsync(async () =>
        {
            _threads = await DossierApi.MessageThreadsAsync(Id);
            if (Bericht is { } linked && linked != _openedFromLink
                && _threads.FirstOrDefault(t => t.Messages.Any(m => m.Id == linked)) is { } thread)
            {
                _openedFromLink = linked;
                _openId = thread.Root.Id;
            }
            _openId ??= _threads.FirstOrDefault()?.Root.Id;
        });
        await MarkOpenedReadAsync();
    }

    private async Task OpenAsync(MessageThread thread)
    {
        if (_openId != thread.Root.Id) _reply = null;
        _openId = thread.Root.Id;
        _composing = false;
        await MarkOpenedReadAsync();
    }

    private bool Mine(Message m) => (m.SenderReference is not null && m.SenderReference == _me) || m.SenderName == _myName;

    private static IEnumerable<string> People(MessageThread thread) =>
        thread.Messages.Select(m => m.SenderName).Concat(thread.Root.Recipients).Where(n => n.Length > 0).Distinct(StringComparer.CurrentCulture);

    /// <summary>A reply goes to everyone in the conversation except the writer.</summary>
    private string[] ReplyRecipients(MessageThread thread) => thread.Messages.Select(m => m.SenderReference)
        .Concat(thread.Messages.SelectMany(m => m.RecipientReferences))
        .OfType<string>().Where(r => r != _me).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The names of whom a reply goes to (<see cref="ReplyRecipients"/>), as the thread shows them.</summary>
    private IEnumerable<string> ReplyNames(MessageThread thread)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var m in thread.Messages)
        {
            if (m.SenderReference is { } s) names.TryAdd(s, m.SenderName);
            if (m.RecipientReferences.Length == m.Recipients.Length)
                foreach (var (reference, name) in m.RecipientReferences.Zip(m.Recipients)) names.TryAdd(reference, name);
        }
        return ReplyRecipients(thread).Select(r => names.GetValueOrDefault(r, r)).Where(n => n != _myName);
    }

    /// <summary>Who will be able to read the message: the writer and its recipients only (the Api enforces it), in Dutch.</summary>
    private string WhoCanRead(IEnumerable<string> recipients)
    {
        var names = recipients.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.CurrentCulture).ToList();
        if (names.Count == 0) return Text["Kies aan wie. Alleen u en wie u kiest kunnen dit bericht lezen."];
        var list = names.Count == 1 ? names[0] : string.Join(", ", names[..^1]) + " " + Text["en"] + " " + names[^1];
        return Text["Alleen u en {0} kunnen dit bericht lezen.", list];
    }

    private async Task ReplyAsync()
    {
        if (Opened is not { } thread) return;
        if (string.IsNullOrWhiteSpace(_reply))
        {
            Snackbar.Add(Text["Schrijf eerst uw bericht."], Severity.Warning);
            return;
        }
        // On failure _reply is left as it is: the person's text stays in the box.
        if (await RunAsync(() => DossierApi.SendMessageAsync(Id, null, _reply, ReplyRecipients(thread), thread.Last.Id), Text["Uw bericht is verstuurd."]))
        {
            _reply = null;
            await LoadAsync();
        }
    }

    private async Task StartNew()
    {
        _composing = true;
        if (_people.Count > 0) return;
        await RunAsync(async () =>
        {
            var network = (await DossierApi.OverviewAsync(Id)).Network ?? [];
            var known = network.Where(m => m.Member is not null && m.Member != _me && m.Name != _myName).Select(m => (m.Member!, m.RoleDisplay is { } r ? $"{m.Name} ({r})" : m.Name));
            // Without the network section: the people met in earlier conversations.
            var names = network.Select(m => m.Name).ToHashSet(StringComparer.CurrentCulture);
            var earlier = _threads.SelectMany(t => t.Messages)
                .Where(m => m.SenderReference is not null && m.SenderReference != _me && m.SenderName != _myName && !names.Contains(m.SenderName))
                .Select(m => (m.SenderReference!, m.SenderName));
            _people = known.Concat(earlier).DistinctBy(p => p.Item1, StringComparer.Ordinal).OrderBy(p => p.Item2, StringComparer.CurrentCulture).ToList();
        });
    }

    private void Toggle(string reference, bool on)
    {
        if (on) _to.Add(reference);
        else _to.Remove(reference);
    }

    private async Task SendNewAsync()
    {
        if (_to.Count == 0 || string.IsNullOrWhiteSpace(_topic) || string.IsNullOrWhiteSpace(_newText))
        {
            Snackbar.Add(Text["Kies aan wie, en vul een onderwerp en uw bericht in."], Severity.Warning);
            return;
        }
        Message? sent = null;
        if (await RunAsync(async () => sent = await DossierApi.SendMessageAsync(Id, _topic, _newText, _to.ToArray(), null), Text["Uw bericht is verstuurd."]))
        {
            _composing = false;
            _topic = _newText = null;
            _to.Clear();
            _openId = sent?.Id;
            await LoadAsync();
        }
    }

}
