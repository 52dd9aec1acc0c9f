using System.Buffers.Binary;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using Parley.Server.Accounts;
using Xunit.Abstractions;

namespace Parley.Server.Tests.Http;

/// <summary>
/// The production password hash strength. The test server lowers the iteration count for speed, so this checks
/// the defaults directly: the option's default and a real hash made with it.
/// </summary>
public sealed class PasswordHashingTests(ITestOutputHelper output)
{
    private const int OwaspPbkdf2Sha512Iterations = 210_000;
    private const uint HmacSha512Prf = 2;

    [Fact]
    public void DefaultIterationCountIsAtLeast210000()
    {
        Assert.True(new AccountOptions().PasswordHashIterations >= OwaspPbkdf2Sha512Iterations);
    }

    [Fact]
    public void DefaultHashIsIdentityV3WithPbkdf2Sha512AndAtLeast210000Iterations()
    {
        var hashing = new PasswordHashing(Options.Create(new AccountOptions()));

        var hash = Convert.FromBase64String(hashing.Hash("correct horse battery staple"));

        // Identity V3: format marker 0x01, then big-endian PRF, iteration count and salt length.
        Assert.Equal(0x01, hash[0]);
        Assert.Equal(HmacSha512Prf, BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1, 4)));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5, 4));
        Assert.True(iterations >= OwaspPbkdf2Sha512Iterations, $"{iterations} iterations");
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(9, 4));
        Assert.True(saltLength >= 16, $"{saltLength}-byte salt");
        Assert.True(hash.Length - 13 - (int)saltLength >= 32, "subkey of at least 256 bits");
        output.WriteLine($"Default hash: PRF {HmacSha512Prf} (HMAC-SHA512), {iterations} iterations, {saltLength}-byte salt.");
    }

    [Fact]
    public void DefaultHashVerifiesOnlyTheRightPassword()
    {
        var hashing = new PasswordHashing(Options.Create(new AccountOptions()));
        var hash = hashing.Hash("correct horse battery staple");

        Assert.True(hashing.Verify(hash, "correct horse battery staple", out var rehash));
        Assert.False(rehash);
        Assert.False(hashing.Verify(hash, "Correct horse battery staple", out _));
        Assert.False(hashing.Verify(null, "correct horse battery staple", out _));
    }

    [Fact]
    public void WeakerHashesAreFlaggedForRehashing()
    {
        var weak = new PasswordHashing(Options.Create(new AccountOptions { PasswordHashIterations = 1000 }));
        var strong = new PasswordHashing(Options.Create(new AccountOptions()));

        Assert.True(strong.Verify(weak.Hash("password123"), "password123", out var rehash));

        Assert.True(rehash);
    }

    [Fact]
    public void MeasureVerifyTimeAtTheDefaultIterationCount()
    {
        var options = new AccountOptions();
        var hashing = new PasswordHashing(Options.Create(options));
        var hash = hashing.Hash("correct horse battery staple");
        hashing.Verify(hash, "correct horse battery staple", out _);

        var samples = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.True(hashing.Verify(hash, "correct horse battery staple", out _));
            samples.Add(clock.Elapsed.TotalMilliseconds);
        }

        samples.Sort();
        output.WriteLine(
            $"Password verify at {options.PasswordHashIterations} PBKDF2-HMAC-SHA512 iterations: median {samples[2]:F1} ms " +
            $"(samples {string.Join(", ", samples.Select(s => s.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)))} ms) " +
            $"on {Environment.ProcessorCount} cores.");
        // A floor, not a benchmark: a verify this fast would mean the work factor is not applied at all.
        Assert.True(samples[2] > 1, $"median {samples[2]} ms");
    }
}
