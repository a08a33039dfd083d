using System.Globalization;
using Hl7.Fhir.Model;
using Pgo.Fhir.Access;
using Pgo.Shared.Codes;
using FhirTask = Hl7.Fhir.Model.Task;

namespace Pgo.Api.Demo;

/// <summary>
/// Turning 18 in the demo (issue 18): Leo Frank (17, born 15 June 2009) with the checklist "18 jaar" under way. Some items
/// are done, the others are owned by Karin, Ruben or Hans; the agreements about the mentorship request and the health
/// insurance (DemoDossiers) are the checklist's items "rechtbank" and "zorgverzekering". No choice for after 18 is
/// recorded yet, so the Portal asks for one. Due dates follow Leo's 18th birthday, as POST .../regie/checklist sets them.
/// </summary>
public static class DemoTransition
{
    private const string Leo = "frank-leo";
    private static readonly DateOnly LeoBirth = new(2009, 6, 15);

    /// <summary>The checklist items of Leo that are agreements of their own (the two linked ones are in DemoDossiers).</summary>
    public static IEnumerable<Resource> Content(DateTimeOffset now)
    {
        var karin = new ResourceReference("RelatedPerson/frank-karin", "Karin Frank");
        var ruben = new ResourceReference("RelatedPerson/frank-ruben", "Ruben Frank");
        var hans = new ResourceReference("Practitioner/bondgenoot-hans", "Hans");
        yield return Item(now, "wensen", hans, karin, FhirTask.TaskStatus.Completed);
        yield return Item(now, "school", karin, hans, FhirTask.TaskStatus.Completed);
        yield return Item(now, "wlz-wmo", hans, karin, FhirTask.TaskStatus.Completed);
        yield return Item(now, "regie-keuze", karin, hans, FhirTask.TaskStatus.InProgress);
        yield return Item(now, "inkomen", ruben, hans, FhirTask.TaskStatus.Accepted);
        yield return Item(now, "pgb", ruben, hans, FhirTask.TaskStatus.Requested);
        yield return Item(now, "digid", karin, hans, FhirTask.TaskStatus.Requested);
    }

    /// <summary>Marks an existing agreement as the checklist's item <paramref name="code"/> (the mentorship request is "rechtbank").</summary>
    public static FhirTask AsChecklistItem(FhirTask task, string code)
    {
        var item = RegieCodes.Checklist18.Find(code)!;
        task.Code = new CodeableConcept(RegieCodes.Checklist18.System, item.Code, item.Title);
        return task;
    }

    private static FhirTask Item(DateTimeOffset now, string code, ResourceReference owner, ResourceReference requester, FhirTask.TaskStatus status)
    {
        var item = RegieCodes.Checklist18.Find(code)!;
        var due = AgeRules.EighteenthBirthday(LeoBirth).AddMonths(-item.MonthsBefore18);
        // Agreed some months ago; an item due long ago was agreed a month before it was due (a due date never precedes the start).
        var start = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-120);
        if (start > due) start = due.AddMonths(-1);
        return AsChecklistItem(new FhirTask
        {
            Id = $"frank-checklist-{code}",
            Status = status,
            Intent = FhirTask.TaskIntent.Plan,
            Description = item.Title,
            Note = [new Annotation { Text = item.Explanation }],
            For = new ResourceReference($"Patient/{Leo}"),
            Owner = owner,
            Requester = requester,
            AuthoredOn = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            BasedOn = [new ResourceReference("CarePlan/frank-plan")],
            Restriction = new FhirTask.RestrictionComponent
            {
                Period = new Period { Start = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), End = due.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) },
            },
        }, code);
    }
}
