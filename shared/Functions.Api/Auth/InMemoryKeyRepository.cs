using System.Collections.Concurrent;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace InvoiceApi.Functions.Api.Auth;

/// <summary>
/// Where Data Protection keeps its keys here: in memory, for the life of the process. ASP.NET Core's authentication
/// registers Data Protection, but nothing in the product uses it (bearer tokens are verified, never issued or
/// encrypted), so no key ring is written to a disk that a Cloud Run instance loses anyway.
/// </summary>
internal sealed class InMemoryKeyRepository : IXmlRepository
{
    private readonly ConcurrentQueue<XElement> _elements = new();

    public IReadOnlyCollection<XElement> GetAllElements() => [.. _elements.Select(element => new XElement(element))];

    public void StoreElement(XElement element, string friendlyName) => _elements.Enqueue(new XElement(element));
}
