using System.Text.Json;
using InvoiceApi.Functions.Api.Problems;
using Invoices.Model;
using Invoices.Problems;

namespace Invoices.Input;

/// <summary>
/// One invoice from a request body, read and validated: a body that is not a JSON object is 400; every field-level
/// problem (wrong JSON type, bad date, unknown field, broken rule) is reported at once in one 422.
/// </summary>
internal static class InvoiceInput
{
    internal static (InvoiceDraft? Draft, Problem? Problem) Check(JsonElement body, InvoiceDraftValidator validator)
    {
        var (draft, readErrors) = InvoiceDraftReader.ReadPartial(body);
        if (readErrors.ContainsKey(InvoiceFields.Body))
        {
            return (null, InvoiceProblems.MalformedBody("The body must be one invoice as a JSON object."));
        }
        var errors = new FieldErrors();
        foreach (var (field, messages) in readErrors)
        {
            messages.ToList().ForEach(message => errors.Add(field, message));
        }
        // A field that could not be read is null in the draft; its "Required." would only repeat the read error.
        foreach (var (field, messages) in validator.Check(draft).Where(pair => !readErrors.ContainsKey(pair.Key)))
        {
            messages.ToList().ForEach(message => errors.Add(field, message));
        }
        return errors.IsEmpty ? (draft, null) : (null, InvoiceProblems.Validation(errors.ToDictionary()));
    }
}
