// Every test function gets what the product adds around a request, named as the real functions name it.
[assembly: InvoiceApi.Functions.Hosting.FunctionsStartup(typeof(InvoiceApi.Functions.Api.ApiStartup), Order = -1)]
