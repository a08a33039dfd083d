using Hl7.Fhir.Model;
using Pgo.Fhir.Search;
using Pgo.Fhir.Search.Indexing;
using static Pgo.Fhir.Tests.Indexing.IndexTestKit;

namespace Pgo.Fhir.Tests.Indexing;

public class PatientCompartmentTests
{
    [Fact]
    public void Observation_subject_reference_puts_it_in_the_patient_compartment()
    {
        var obs = new Observation { Subject = new ResourceReference("Patient/p1") };

        Index(obs).PatientCompartment.ShouldBe(["p1"]);
    }

    [Fact]
    public void Observation_performed_by_another_patient_is_in_both_compartments()
    {
        var obs = new Observation { Subject = new ResourceReference("Patient/p1"), Performer = [new ResourceReference("Patient/p2"), new ResourceReference("Practitioner/d1")] };

        Index(obs).PatientCompartment.ShouldBe(["p1", "p2"], ignoreOrder: true);
    }

    [Fact]
    public void Observation_about_a_group_is_in_no_patient_compartment()
    {
        var obs = new Observation { Subject = new ResourceReference("Group/g1"), Performer = [new ResourceReference("Practitioner/d1")] };

        Index(obs).PatientCompartment.ShouldBeEmpty();
    }

    [Fact]
    public void Patient_is_in_its_own_compartment_and_in_that_of_patients_it_links_to()
    {
        var patient = new Patient
        {
            Id = "p1",
            Link =
            [
                new Patient.LinkComponent { Other = new ResourceReference("Patient/p9"), Type = Patient.LinkType.Seealso },
                new Patient.LinkComponent { Other = new ResourceReference("RelatedPerson/r1"), Type = Patient.LinkType.Seealso },
            ],
        };

        Index(patient).PatientCompartment.ShouldBe(["p1", "p9"]);
    }

    [Fact]
    public void Practitioner_is_in_no_patient_compartment()
    {
        Index(new Practitioner { Id = "d1" }).PatientCompartment.ShouldBeEmpty();
    }

    [Fact]
    public void Every_linking_param_of_every_type_contributes_patient_references()
    {
        var allergy = new AllergyIntolerance { Patient = new ResourceReference("Patient/p1"), Recorder = new ResourceReference("Patient/p2"), Asserter = new ResourceReference("Patient/p3") };
        var carePlan = new CarePlan { Subject = new ResourceReference("Patient/p1"), Activity = [new CarePlan.ActivityComponent { Detail = new CarePlan.DetailComponent { Performer = [new ResourceReference("Patient/p4")] } }] };
        var consent = new Consent { Patient = new ResourceReference("Patient/p5") };
        var goal = new Goal { Subject = new ResourceReference("Patient/p6") };
        var encounter = new Encounter { Subject = new ResourceReference("Patient/p7") };
        var relatedPerson = new RelatedPerson { Patient = new ResourceReference("Patient/p8") };

        Index(allergy).PatientCompartment.ShouldBe(["p1", "p2", "p3"], ignoreOrder: true);
        Index(carePlan).PatientCompartment.ShouldBe(["p1", "p4"], ignoreOrder: true);
        Index(consent).PatientCompartment.ShouldBe(["p5"]);
        Index(goal).PatientCompartment.ShouldBe(["p6"]);
        Index(encounter).PatientCompartment.ShouldBe(["p7"]);
        Index(relatedPerson).PatientCompartment.ShouldBe(["p8"]);
    }

    [Fact]
    public void A_reference_outside_the_linking_params_does_not_count()
    {
        // Observation "focus" may point at a Patient, but the CompartmentDefinition links Observations by subject and performer only.
        var obs = new Observation { Subject = new ResourceReference("Group/g1"), Focus = [new ResourceReference("Patient/p1")] };

        Index(obs).PatientCompartment.ShouldBeEmpty();
    }

    [Fact]
    public void An_absolute_patient_url_does_not_put_a_resource_in_a_local_compartment()
    {
        var obs = new Observation { Subject = new ResourceReference("https://other.example.org/fhir/Patient/p1") };

        var index = Index(obs);

        index.References("subject").Single().TargetId.ShouldBe("p1");
        index.PatientCompartment.ShouldBeEmpty();
    }

    [Fact]
    public void Every_linking_param_of_the_compartment_definition_is_a_reference_search_parameter_of_its_type()
    {
        var missing = new List<string>();
        foreach (var type in PatientCompartmentDefinition.ResourceTypes)
            foreach (var param in PatientCompartmentDefinition.ParamsFor(type))
                if (SearchParameterRegistry.Default.Find(type, param) is not { Type: SearchParamType.Reference })
                    missing.Add($"{type}.{param}");

        PatientCompartmentDefinition.ResourceTypes.Count().ShouldBeGreaterThan(60);
        missing.ShouldBeEmpty();
    }
}
