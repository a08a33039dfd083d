namespace Pgo.Portal.Api;

// The messages screen's view of FHIR Communication resources (read under /fhir as the person).

/// <summary>A message (FHIR Communication, docs/adr/0005): the thread it belongs to is its root message.</summary>
public sealed record Message(string Id, string? Topic, string Text, string? SenderReference, string SenderName, string[] Recipients, string[] RecipientReferences, DateTimeOffset? Sent, string? InResponseTo);

/// <summary>A conversation: the root message (with the title) and its replies, oldest first.</summary>
public sealed record MessageThread(Message Root, IReadOnlyList<Message> Messages)
{
    public string Title => Root.Topic ?? Root.Text;

    public Message Last => Messages[^1];
}
