namespace InvoiceApi.Tools.Emulator;

/// <summary>
/// The suppliers of a small Colombian business, all invented: landlords, utilities, shops, carriers, software vendors
/// abroad billing in USD and EUR. NIT base numbers are made up too; the Invoices function adds DIAN's check digit.
/// Their taxes follow Colombian practice closely enough to look right: IVA 19 % on most goods and services, 5 % on
/// coffee and fertiliser, INC 8 % at restaurants and cafés, none on utilities and cargo; ReteRenta at 2.5 % on
/// purchases, 3.5 % on rent, 4 % on services, 11 % on fees, and Bogotá's ReteICA on services and industry.
/// </summary>
internal static class DemoSuppliers
{
    internal static readonly IReadOnlyList<DemoSupplier> All =
    [
        new("Inmobiliaria Calle 93 S.A.S.", "901234567", "Rent", "COP", 4_500_000m, 6_200_000m, 5, "transfer", 3, "ARR",
            ["Canon de arrendamiento oficina 502, {0}", "Arriendo local y parqueadero, {0}"],
            new(DemoTaxRate.Iva19, ReteRenta: 3.5m, WithholdFrom: 1_400_000m)),
        new("Energía del Valle de Aburrá S.A. E.S.P.", "890904321", "Utilities", "COP", 350_000m, 1_800_000m, 15, "transfer", 3, "EVA",
            ["Consumo de energía, periodo {0}"]),
        new("Acueducto Sabana Norte E.S.P.", "899999123", "Utilities", "COP", 120_000m, 600_000m, 15, "transfer", 2, "ASN",
            ["Acueducto y alcantarillado, {0}"]),
        new("Comunicaciones Andinas S.A.S.", "830122566", "Telecom", "COP", 180_000m, 900_000m, 20, "card", 3, "CAN",
            ["Internet fibra 500 Mbps, {0}", "Plan corporativo de telefonía móvil, {0}"],
            new(DemoTaxRate.Iva19, ReteRenta: 4m, ReteIca: 0.966m, WithholdFrom: 200_000m)),
        new("Papelería El Sol S.A.S.", "900123456", "Office supplies", "COP", 25_000m, 850_000m, 30, "card", 6, "PES",
            ["Resmas de papel, tóner y carpetas", "Útiles de oficina", "Sobres y etiquetas para despacho"],
            new(DemoTaxRate.Iva19, ReteRenta: 2.5m, WithholdFrom: 1_400_000m)),
        new("Ferretería El Tornillo Feliz S.A.S.", "900567123", "Maintenance", "COP", 15_000m, 2_500_000m, 0, "cash", 5, "FTF",
            ["Herramientas y tornillería", "Pintura y materiales para reparaciones", "Repuestos eléctricos"],
            new(DemoTaxRate.Iva19, DemoTaxRate.Iva5, "Abono orgánico para jardineras, bulto de 25 kg", ReteRenta: 2.5m, WithholdFrom: 1_400_000m)),
        new("Transportes La Sabana Ltda.", "860045127", "Logistics", "COP", 250_000m, 4_800_000m, 30, "transfer", 5, "TLS",
            ["Flete Bogotá - Medellín", "Transporte de mercancía a Cali", "Servicio de carga consolidada"]),
        new("Mensajería Rápida del Caribe S.A.S.", "901456789", "Logistics", "COP", 12_000m, 180_000m, 15, "card", 6, "MRC",
            ["Envío de documentos", "Mensajería urbana, {0}", "Paquete urgente a Barranquilla"],
            new(DemoTaxRate.Iva19)),
        new("Café y Panadería La Esquina", "79845213", "Meals", "COP", 18_000m, 240_000m, 0, "cash", 6, "CPE",
            ["Refrigerios reunión de equipo", "Desayunos para clientes", "Café para la oficina"],
            new(DemoTaxRate.Inc8, DemoTaxRate.Iva5, "Café tostado en grano, 500 g")),
        new("Restaurante Sabores del Pacífico S.A.S.", "900874512", "Meals", "COP", 60_000m, 950_000m, 0, "card", 4, "RSP",
            ["Almuerzo de trabajo", "Cena con clientes", "Almuerzo de fin de mes del equipo"],
            new(DemoTaxRate.Inc8)),
        new("Soluciones TIC Medellín S.A.S.", "901102938", "Software", "COP", 1_200_000m, 14_000_000m, 30, "transfer", 3, "STM",
            ["Soporte y mantenimiento del ERP, {0}", "Licencias de software contable", "Desarrollo de integración con facturación electrónica"],
            new(DemoTaxRate.Iva19, ReteRenta: 4m, ReteIca: 0.966m, WithholdFrom: 200_000m)),
        new("Agencia Creativa Macondo S.A.S.", "900765432", "Marketing", "COP", 800_000m, 12_000_000m, 45, "transfer", 2, "ACM",
            ["Campaña en redes sociales, {0}", "Diseño de catálogo", "Pauta digital"],
            new(DemoTaxRate.Iva19, ReteRenta: 4m, ReteIca: 0.966m, WithholdFrom: 200_000m)),
        new("Contadores Asociados Bogotá S.A.S.", "830514276", "Professional services", "COP", 1_500_000m, 4_500_000m, 30, "transfer", 2, "CAB",
            ["Honorarios contables, {0}", "Declaración de renta y asesoría tributaria"],
            new(DemoTaxRate.Iva19, ReteRenta: 11m, ReteIca: 0.966m)),
        new("Laura Martínez Gómez", "52987654", "Professional services", "COP", 900_000m, 6_000_000m, 15, "transfer", 1, "LMG",
            ["Asesoría jurídica laboral", "Revisión de contratos con proveedores"]),
        new("Suministros Industriales del Norte S.A.", "890112233", "Equipment", "COP", 2_000_000m, 45_000_000m, 60, "check", 2, "SIN",
            ["Estanterías metálicas para bodega", "Montacargas manual y accesorios", "Equipos de cómputo"],
            new(DemoTaxRate.Iva19, ReteRenta: 2.5m, ReteIca: 0.414m, WithholdFrom: 1_400_000m)),
        new("Aseo Integral Bucaramanga S.A.S.", "900332211", "Maintenance", "COP", 400_000m, 1_600_000m, 30, "transfer", 2, "AIB",
            ["Servicio de aseo de oficinas, {0}", "Limpieza de fachada y vidrios"],
            new(DemoTaxRate.Iva19, ReteRenta: 2m, ReteIca: 0.966m, WithholdFrom: 200_000m)),
        new("Importadora Pacífico Trading S.A.S.", "901776655", "Equipment", "USD", 800m, 18_000m, 45, "transfer", 1, "IPT",
            ["Lectores de código de barras importados", "Impresoras térmicas para despacho"]),
        new("Nimbus Cloud Services LLC", null, "Software", "USD", 45m, 2_400m, 0, "card", 4, "NCS",
            ["Cloud hosting, {0}", "Managed database and storage, {0}"]),
        new("DevTools Online Inc.", null, "Software", "USD", 12m, 600m, 0, "card", 3, "DTO",
            ["Team subscription, {0}", "Design tool seats, {0}"]),
        new("Editorial Ibérica S.L.", null, "Training", "EUR", 90m, 1_800m, 30, "transfer", 1, "EIB",
            ["Curso en línea de gestión financiera", "Suscripción a publicaciones técnicas"]),
        new("Maschinenbau Bremen GmbH", null, "Equipment", "EUR", 2_500m, 40_000m, 60, "transfer", 1, "MBB",
            ["Selladora industrial", "Repuestos para línea de empaque"]),
    ];
}
