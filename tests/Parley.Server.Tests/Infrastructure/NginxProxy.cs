using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Parley.Server.Tests.Infrastructure;

/// <summary>
/// A real TLS-terminating reverse proxy in front of a test server: Debian's nginx (installed by
/// scripts/install-nginx.sh) on a free loopback port, with a self-signed certificate made for the test, passing
/// HTTP and WebSocket upgrades on and setting <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> the way
/// a production configuration does. The upstream sees nginx's own Host (<c>127.0.0.1:upstream</c>), so the
/// browser's host reaches the server only through <c>X-Forwarded-Host</c>.
/// </summary>
public sealed class NginxProxy : IAsyncDisposable
{
    private const string NginxPath = "/usr/sbin/nginx";

    private readonly string _root;
    private readonly X509Certificate2 _certificate;
    private Process? _process;

    private NginxProxy(string root, X509Certificate2 certificate, int port)
    {
        _root = root;
        _certificate = certificate;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The origin a browser on the proxy's address sends: <c>https://127.0.0.1:PORT</c>.</summary>
    public string Origin => $"https://127.0.0.1:{Port}";

    public Uri BaseAddress => new($"{Origin}/");

    public static async Task<NginxProxy> StartAsync(Uri upstream)
    {
        if (!File.Exists(NginxPath))
        {
            await InstallAsync();
        }
        var root = Directory.CreateTempSubdirectory("parley-nginx-").FullName;
        var certificate = CreateCertificate();
        await File.WriteAllTextAsync(Path.Combine(root, "cert.pem"), certificate.ExportCertificatePem());
        using (var key = certificate.GetRSAPrivateKey()!)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "key.pem"), key.ExportPkcs8PrivateKeyPem());
        }
        // The port is free when picked but another process may take it before nginx binds it: try a few.
        for (var attempt = 1; ; attempt++)
        {
            var proxy = new NginxProxy(root, certificate, LoopbackPort.Free());
            try
            {
                await proxy.StartProcessAsync(upstream);
                return proxy;
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
                await proxy.StopProcessAsync();
            }
        }
    }

    /// <summary>Trusts exactly this proxy's certificate, as a browser would once told to.</summary>
    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors) =>
        certificate is not null && certificate.GetCertHashString() == _certificate.Thumbprint;

    /// <summary>A handler for <see cref="HttpClient"/> that trusts the proxy's certificate and keeps cookies.</summary>
    public HttpClientHandler CreateHandler(CookieContainer cookies) => new()
    {
        CookieContainer = cookies,
        UseCookies = true,
        ServerCertificateCustomValidationCallback = (_, certificate, _, errors) => Validate(certificate, errors),
    };

    private async Task StartProcessAsync(Uri upstream)
    {
        var config = Path.Combine(_root, "nginx.conf");
        await File.WriteAllTextAsync(config, Configuration(upstream));
        var start = new ProcessStartInfo(NginxPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -e: without it nginx opens /var/log/nginx/error.log before reading the configuration.
        foreach (var argument in new[] { "-p", _root, "-c", config, "-e", Path.Combine(_root, "error.log") })
        {
            start.ArgumentList.Add(argument);
        }
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        if (await LoopbackPort.WaitUntilListeningAsync(Port, _process))
        {
            return;
        }
        var log = Path.Combine(_root, "error.log");
        throw new InvalidOperationException($"nginx did not start on port {Port}: {(File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)")}");
    }

    private string Configuration(Uri upstream) => string.Create(CultureInfo.InvariantCulture, $$"""
        # One process in the foreground, owned by the test (no master/worker split, no user switch).
        daemon off;
        master_process off;
        pid {{_root}}/nginx.pid;
        error_log {{_root}}/error.log warn;
        events { worker_connections 512; }
        http {
            access_log off;
            client_body_temp_path {{_root}}/client_body;
            proxy_temp_path {{_root}}/proxy;
            fastcgi_temp_path {{_root}}/fastcgi;
            uwsgi_temp_path {{_root}}/uwsgi;
            scgi_temp_path {{_root}}/scgi;
            map $http_upgrade $connection_upgrade {
                default upgrade;
                ''      close;
            }
            server {
                listen 127.0.0.1:{{Port}} ssl;
                ssl_certificate {{_root}}/cert.pem;
                ssl_certificate_key {{_root}}/key.pem;
                location / {
                    proxy_pass http://{{upstream.Authority}};
                    proxy_http_version 1.1;
                    proxy_set_header Upgrade $http_upgrade;
                    proxy_set_header Connection $connection_upgrade;
                    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                    proxy_set_header X-Forwarded-Proto $scheme;
                    proxy_set_header X-Forwarded-Host $http_host;
                    proxy_read_timeout 300s;
                }
            }
        }
        """);

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }

    private static async Task InstallAsync()
    {
        string? script = null;
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null && script is null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "scripts", "install-nginx.sh");
            script = File.Exists(candidate) ? candidate : null;
        }
        using var install = Process.Start(new ProcessStartInfo("bash", script ?? "-c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx'")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var error = install.StandardError.ReadToEndAsync();
        await install.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await install.WaitForExitAsync(timeout.Token);
        if (install.ExitCode != 0 || !File.Exists(NginxPath))
        {
            throw new InvalidOperationException($"nginx is not installed and installing it failed: {await error}");
        }
    }

    private async Task StopProcessAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopProcessAsync();
        _certificate.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
