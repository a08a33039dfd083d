using Hl7.Fhir.Model;
using Pgo.Fhir.Rest;
using Pgo.Fhir.Messages;

namespace Pgo.Fhir.Profiles;

/// <summary>
/// A QuestionnaireResponse answers its Questionnaire: the questionnaire can be found, every answered item is one of its
/// questions, and where a question lists <c>answerOption</c>s the answer is one of them (a score of 11 on a 0–10 scale,
/// or a Likert code the list does not have, is refused).
/// </summary>
public static class QuestionnaireAnswers
{
    public static async Task<IReadOnlyList<string>> CheckAsync(QuestionnaireResponse response, RuleContext context)
    {
        if (string.IsNullOrWhiteSpace(response.Questionnaire)) return [];
        var questionnaire = await ResolveAsync(response.Questionnaire, context);
        if (questionnaire is null)
            return [Text.Format(FhirText.QuestionnaireNotFound, response.Questionnaire)];

        var questions = new Dictionary<string, Questionnaire.ItemComponent>(StringComparer.Ordinal);
        void Collect(IEnumerable<Questionnaire.ItemComponent> items)
        {
            foreach (var item in items)
            {
                if (item.LinkId is { } id) questions.TryAdd(id, item);
                Collect(item.Item);
            }
        }
        Collect(questionnaire.Item);

        var problems = new List<string>();
        void Check(IEnumerable<QuestionnaireResponse.ItemComponent> items)
        {
            foreach (var item in items)
            {
                if (item.LinkId is not { } linkId || !questions.TryGetValue(linkId, out var question))
                {
                    problems.Add(Text.Format(FhirText.QuestionNotInQuestionnaire, item.LinkId, questionnaire.Title ?? questionnaire.Id));
                    continue;
                }
                foreach (var answer in item.Answer)
                {
                    if (question.AnswerOption.Count > 0 && answer.Value is { } value && !question.AnswerOption.Any(o => Same(o.Value, value)))
                        problems.Add(Text.Format(FhirText.AnswerNotAnOption, Show(value), question.Text ?? linkId,
                            string.Join(", ", question.AnswerOption.Select(o => Show(o.Value)))));
                    Check(answer.Item);
                }
                Check(item.Item);
            }
        }
        Check(response.Item);
        return problems;
    }

    /// <summary>"Questionnaire/id", or a canonical url (optionally |version) of a stored Questionnaire.</summary>
    private static async Task<Questionnaire?> ResolveAsync(string canonical, RuleContext context)
    {
        var url = canonical.Split('|')[0];
        if (url.StartsWith("Questionnaire/", StringComparison.Ordinal))
            return await context.ReadAsync("Questionnaire", url["Questionnaire/".Length..]) as Questionnaire;
        return await context.FindByUrlAsync("Questionnaire", url) as Questionnaire;
    }

    private static bool Same(DataType? option, DataType answer) => (option, answer) switch
    {
        (Coding o, Coding a) => o.Code == a.Code && (o.System is null || a.System is null || o.System == a.System),
        (ResourceReference o, ResourceReference a) => o.Reference == a.Reference,
        (PrimitiveType o, PrimitiveType a) => o.TypeName == a.TypeName && o.ToString() == a.ToString(),
        _ => false,
    };

    private static string Show(DataType? value) => value switch
    {
        Coding c => c.Display is { } d ? $"{c.Code} ({d})" : c.Code ?? "",
        ResourceReference r => r.Reference ?? "",
        PrimitiveType p => p.ToString() ?? "",
        _ => value?.TypeName ?? "",
    };
}
