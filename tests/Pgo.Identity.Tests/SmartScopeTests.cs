using Pgo.Identity.Accounts;
using Pgo.Identity.Smart;

namespace Pgo.Identity.Tests;

public class SmartScopeTests
{
    [Theory]
    [InlineData("patient/Goal.rs", "patient", "Goal", "rs")]
    [InlineData("user/*.cruds", "user", "*", "cruds")]
    [InlineData("system/Patient.r", "system", "Patient", "r")]
    [InlineData("patient/QuestionnaireResponse.cu", "patient", "QuestionnaireResponse", "cu")]
    public void SMART_v2_scopes_are_understood(string scope, string context, string type, string permissions) =>
        SmartScope.Parse(scope).ShouldBe(new SmartScope(context, type, permissions));

    [Theory]
    [InlineData("patient/Goal.read")]       // v1
    [InlineData("patient/Goal.sr")]         // letters out of order
    [InlineData("patient/Goal.")]           // no permission
    [InlineData("patient/goal.rs")]         // not a resource type
    [InlineData("practitioner/Goal.rs")]    // unknown context
    [InlineData("patient/Goal.rs?category=x")]
    [InlineData("openid")]
    public void Anything_else_is_not_a_SMART_scope(string scope) => SmartScope.Parse(scope).ShouldBeNull();

    [Theory]
    [InlineData("patient/Goal.rs", "patient/*.cruds", true)]
    [InlineData("patient/Goal.rs", "patient/Goal.rs", true)]
    [InlineData("patient/Goal.cruds", "patient/*.rs", false)]
    [InlineData("patient/Goal.rs", "user/*.cruds", false)]
    [InlineData("patient/Goal.rs", "patient/Task.cruds", false)]
    public void A_broader_permission_covers_a_narrower_scope(string scope, string permission, bool covered) =>
        SmartScope.Parse(scope)!.IsCoveredBy(SmartScope.Parse(permission)!).ShouldBe(covered);

    [Fact]
    public void Client_may_ask_only_for_scopes_its_permissions_cover()
    {
        string[] permissions = ["scp:profile", "scp:patient/*.rs"];

        ScopePolicy.Refusal("openid", permissions, clientCredentials: false).ShouldBeNull();
        ScopePolicy.Refusal("profile", permissions, clientCredentials: false).ShouldBeNull();
        ScopePolicy.Refusal("patient/Goal.rs", permissions, clientCredentials: false).ShouldBeNull();
        ScopePolicy.Refusal("email", permissions, clientCredentials: false).ShouldNotBeNull();
        ScopePolicy.Refusal("patient/Goal.cruds", permissions, clientCredentials: false).ShouldNotBeNull();
        ScopePolicy.Refusal("user/Goal.rs", permissions, clientCredentials: false).ShouldNotBeNull();
    }

    [Fact]
    public void Only_system_scopes_go_with_client_credentials_and_never_to_a_person()
    {
        string[] permissions = ["scp:system/*.rs", "scp:patient/*.rs", "scp:profile"];

        ScopePolicy.Refusal("system/Goal.rs", permissions, clientCredentials: true).ShouldBeNull();
        ScopePolicy.Refusal("patient/Goal.rs", permissions, clientCredentials: true).ShouldNotBeNull();
        ScopePolicy.Refusal("profile", permissions, clientCredentials: true).ShouldNotBeNull();
        ScopePolicy.Refusal("system/Goal.rs", permissions, clientCredentials: false).ShouldNotBeNull();
    }

    [Fact]
    public void Person_without_fhirUser_keeps_only_the_OpenID_scopes()
    {
        var admin = new PgoUser { FhirUser = null };
        var tessa = new PgoUser { FhirUser = "Person/strikwerda-tessa" };
        string[] requested = ["openid", "profile", "patient/*.rs", "user/Goal.cruds"];

        ScopePolicy.GrantedTo(admin, requested).ShouldBe(["openid", "profile"]);
        ScopePolicy.GrantedTo(tessa, requested).ShouldBe(requested);
    }
}
