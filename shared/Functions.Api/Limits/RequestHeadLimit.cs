using System.Globalization;
using InvoiceApi.Functions.Api.Problems;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace InvoiceApi.Functions.Api.Limits;

/// <summary>
/// The size of a request's target (path and query) and headers. Kestrel's own refusals carry no body, so Kestrel is
/// given <see cref="ServerTargetBytes"/> and <see cref="ServerHeaderBytes"/> of room and these smaller limits are
/// enforced here instead, as a 414 or 431 problem+json before any function code runs.
/// </summary>
public static class RequestHeadLimit
{
    /// <summary>Longest request target (path and query) a function accepts: 8 KiB.</summary>
    public const int TargetBytes = 8 * 1024;

    /// <summary>Most header bytes (names and values) a function accepts: 32 KiB.</summary>
    public const int HeaderBytes = 32 * 1024;

    /// <summary>Most header lines a function accepts.</summary>
    public const int HeaderCount = 100;

    /// <summary>What Kestrel lets through to the check: beyond it Kestrel answers by itself, with an empty body.</summary>
    public const int ServerTargetBytes = 64 * 1024;

    /// <summary>What Kestrel lets through to the check: beyond it Kestrel answers by itself, with an empty body.</summary>
    public const int ServerHeaderBytes = 64 * 1024;

    internal const string ProblemType = ProblemTypes.Prefix + "request-head-too-large";

    /// <summary>Gives Kestrel room above the limits, so requests between the two get a problem+json answer.</summary>
    public static void ConfigureServer(KestrelServerLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        limits.MaxRequestLineSize = ServerTargetBytes;
        limits.MaxRequestHeadersTotalSize = ServerHeaderBytes;
        // As many lines as the bytes allow (a header line takes at least 4): only the byte limit ever stops Kestrel, so
        // 101 or 10,000 small headers get this check's 431 problem, not Kestrel's bare one.
        limits.MaxRequestHeaderCount = ServerHeaderBytes / 4;
    }

    /// <summary>The problem for a request whose target or headers are over the limits, or null when they fit.</summary>
    public static Problem? Check(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value + context.Request.QueryString.Value;
        if (target.Length > TargetBytes)
        {
            return new Problem(StatusCodes.Status414UriTooLong, ProblemType, "Request target too long",
                string.Create(CultureInfo.InvariantCulture, $"The path and query may be at most {TargetBytes:N0} characters long; this one has {target.Length:N0}."));
        }
        long bytes = 0;
        var lines = 0;
        foreach (var (name, values) in context.Request.Headers)
        {
            foreach (var value in values)
            {
                bytes += name.Length + (value?.Length ?? 0);
                lines++;
            }
        }
        if (bytes > HeaderBytes || lines > HeaderCount)
        {
            return new Problem(StatusCodes.Status431RequestHeaderFieldsTooLarge, ProblemType, "Request headers too large",
                string.Create(CultureInfo.InvariantCulture, $"Headers may total at most {HeaderBytes:N0} bytes in at most {HeaderCount} lines; these have {bytes:N0} bytes in {lines}."));
        }
        return null;
    }
}
