namespace Toolgrid.Notifications;

/// <summary>How the connection to the mail server is protected (<c>Toolgrid:Mail:Security</c>).</summary>
public enum MailSecurity
{
    /// <summary><c>none</c>: plain SMTP (port 25 by default), for a relay on this host or a trusted network.</summary>
    None,

    /// <summary><c>starttls</c>: plain SMTP upgraded with STARTTLS, which the server must offer (port 587 by default).</summary>
    StartTls,

    /// <summary><c>tls</c>: TLS from the first byte, "SMTPS" (port 465 by default).</summary>
    Tls,
}
