using System.Text;
using FluentValidation.Results;
using FluentValidation;
using InvoiceApi.Functions.Api.Requests;

namespace Invoices;

/// <summary>
/// Every rule of docs/api.md's invoice table for a draft read by <see cref="InvoiceDraftReader"/>; errors are keyed
/// by JSON field name. "Today" is <see cref="CallerClock.Default"/>'s day (America/Bogota) of the injected clock.
/// </summary>
internal sealed class InvoiceDraftValidator : AbstractValidator<InvoiceDraft>
{
    internal const int MaxOcrDataBytes = 64 * 1024;
    internal const int MaxFilePathLength = 2048;
    internal static readonly decimal AmountLimit = 10_000_000_000_000m;
    internal static readonly IReadOnlyList<string> Statuses = ["pending", "paid", "void"];
    internal static readonly IReadOnlyList<string> PaymentMethods = ["cash", "card", "transfer", "check", "other"];
    internal static readonly IReadOnlyList<string> Kinds = [InvoiceValues.InvoiceKind, InvoiceValues.CreditNote, InvoiceValues.DebitNote];
    internal const int MaxTaxes = 30;
    private const string Required = "Required.";

    public InvoiceDraftValidator(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        RuleLevelCascadeMode = CascadeMode.Stop;
        DateOnly Tomorrow() => CallerClock.Default(clock).Today.AddDays(1);

        RuleFor(d => d.Number).Must(n => n!.Length is >= 1 and <= 64).When(d => d.Number is not null)
            .WithMessage("Must be 1 to 64 characters (or null).").OverridePropertyName(InvoiceFields.Number);
        RuleFor(d => d.Date).NotNull().WithMessage(Required)
            .Must(date => date <= Tomorrow()).WithMessage(_ => $"Must not be after {Tomorrow():yyyy-MM-dd} (today + 1 day).")
            .OverridePropertyName(InvoiceFields.Date);
        RuleFor(d => d.DueDate).Must((d, due) => due >= d.Date).When(d => d.DueDate is not null && d.Date is not null)
            .WithMessage("Must be on or after date.").OverridePropertyName(InvoiceFields.DueDate);
        RuleFor(d => d.Provider).NotNull().WithMessage(Required)
            .Must(p => p!.Trim().Length is >= 1 and <= 200).WithMessage("Must be 1 to 200 characters after trimming.")
            .OverridePropertyName(InvoiceFields.Provider);
        RuleFor(d => d.Nit)
            .Must(n => Nit.Check(n!, out _) != Nit.Verdict.Malformed)
            .WithMessage(Nit.MalformedMessage)
            .Must(n => Nit.Check(n!, out _) != Nit.Verdict.WrongCheckDigit)
            .WithMessage(Nit.WrongCheckDigitMessage)
            .When(d => d.Nit is not null).OverridePropertyName(InvoiceFields.Nit);
        RuleFor(d => d.Kind).Must(k => Kinds.Contains(k!)).When(d => d.Kind is not null)
            .WithMessage($"Must be one of {string.Join(", ", Kinds)}.").OverridePropertyName(InvoiceFields.Kind);
        // A credit note's money is negative, so every sum subtracts it without knowing about kinds (docs/api.md, "Taxes").
        RuleFor(d => d.Amount).NotNull().WithMessage(Required)
            .Must((d, a) => d.Kind == InvoiceValues.CreditNote ? a < 0 : a > 0)
            .WithMessage(d => d.Kind == InvoiceValues.CreditNote ? "Must be below 0 for a credit note (it subtracts from what is owed)." : "Must be greater than 0.")
            .Must(a => decimal.Round(a!.Value, 2) == a.Value).WithMessage("Must have at most 2 decimals.")
            .Must(a => Math.Abs(a!.Value) < AmountLimit).WithMessage("Must be below 10000000000000 (10^13) in absolute value.")
            .OverridePropertyName(InvoiceFields.Amount);
        RuleFor(d => d).Custom((draft, context) => TaxRules.Check(draft, (field, message) => context.AddFailure(field, message)));
        RuleFor(d => d.Currency).Must(c => Currencies.IsKnown(c!)).When(d => d.Currency is not null)
            .WithMessage("Must be an ISO 4217 currency code such as COP, USD or EUR.").OverridePropertyName(InvoiceFields.Currency);
        RuleFor(d => d.PaymentMethod).Must(m => PaymentMethods.Contains(m!)).When(d => d.PaymentMethod is not null)
            .WithMessage($"Must be one of {string.Join(", ", PaymentMethods)} (or null).").OverridePropertyName(InvoiceFields.PaymentMethod);
        RuleFor(d => d.Category).NotNull().WithMessage(Required)
            .Must(c => c!.Trim().Length is >= 1 and <= 60).WithMessage("Must be 1 to 60 characters after trimming.")
            .OverridePropertyName(InvoiceFields.Category);
        RuleFor(d => d.Description).Must(d => d!.Length <= 2000).When(d => d.Description is not null)
            .WithMessage("Must be at most 2000 characters.").OverridePropertyName(InvoiceFields.Description);
        RuleFor(d => d.Status).Must(s => Statuses.Contains(s!)).When(d => d.Status is not null)
            .WithMessage($"Must be one of {string.Join(", ", Statuses)}.").OverridePropertyName(InvoiceFields.Status);
        RuleFor(d => d.PaidAt).Must((d, _) => d.Status == "paid").WithMessage("Only allowed when status is paid.")
            .Must(paid => paid <= Tomorrow()).WithMessage(_ => $"Must not be after {Tomorrow():yyyy-MM-dd} (today + 1 day).")
            .When(d => d.PaidAt is not null).OverridePropertyName(InvoiceFields.PaidAt);
        RuleFor(d => d.FilePath).Must(p => IsDocumentLocation(p!)).When(d => d.FilePath is not null)
            .WithMessage($"Must be gs://bucket/object or an https:// URL, at most {MaxFilePathLength} characters.")
            .OverridePropertyName(InvoiceFields.FilePath);
        RuleFor(d => d.OcrData).Must(o => Encoding.UTF8.GetByteCount(o!) <= MaxOcrDataBytes).When(d => d.OcrData is not null)
            .WithMessage("Must be at most 64 KiB of JSON.").OverridePropertyName(InvoiceFields.OcrData);
        RuleFor(d => d.Cufe).Must(c => c!.Length == 96 && c.All(char.IsAsciiHexDigit)).When(d => d.Cufe is not null)
            .WithMessage("Must be the 96 hexadecimal characters of the DIAN document's CUFE (a note's CUDE), or null.")
            .OverridePropertyName(InvoiceFields.Cufe);
        RuleFor(d => d.OcrConfidence).InclusiveBetween(0d, 1d).When(d => d.OcrConfidence is not null)
            .WithMessage("Must be between 0 and 1.").OverridePropertyName(InvoiceFields.OcrConfidence);
    }

    /// <summary>Validates <paramref name="draft"/>; an empty dictionary means it is valid.</summary>
    internal IReadOnlyDictionary<string, IReadOnlyList<string>> Check(InvoiceDraft draft) => ToFieldErrors(Validate(draft));

    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> ToFieldErrors(ValidationResult result)
    {
        var errors = new FieldErrors();
        foreach (var failure in result.Errors)
        {
            errors.Add(failure.PropertyName, failure.ErrorMessage);
        }
        return errors.ToDictionary();
    }

    private static bool IsDocumentLocation(string path)
    {
        if (path.Length > MaxFilePathLength || path.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return false;
        }
        if (path.StartsWith("gs://", StringComparison.Ordinal))
        {
            var rest = path["gs://".Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            return slash > 0 && slash < rest.Length - 1;
        }
        return path.StartsWith("https://", StringComparison.Ordinal)
            && Uri.TryCreate(path, UriKind.Absolute, out var uri) && uri.Host.Length > 0;
    }
}
