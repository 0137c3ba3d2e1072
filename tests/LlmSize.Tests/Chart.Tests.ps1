#Requires -Modules Pester
# Out-LlmChart: the chart must really display. Chromium (Debian package `chromium`) renders it to PNG headless and
# the test checks pixels of the breakdown colours. The set-up installs chromium with apt-get when it is missing.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Get-ModulePath) -Force

    function Get-Chromium {
        $c = Get-Command chromium, chromium-browser -ErrorAction SilentlyContinue | Select-Object -First 1
        if ($c) { return $c.Source }
        if ((Get-Command apt-get -ErrorAction SilentlyContinue) -and [Environment]::UserName -eq 'root') {
            & apt-get install -y -qq chromium *> $null
            if ($LASTEXITCODE -ne 0) { & apt-get update -qq *> $null; & apt-get install -y -qq chromium *> $null }
            $c = Get-Command chromium -ErrorAction SilentlyContinue
            if ($c) { return $c.Source }
        }
        return $null
    }

    # Minimal PNG decoder (RFC 2083: IHDR, concatenated IDAT zlib stream, per-row filters 0-4) for 8-bit RGB/RGBA.
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.IO.Compression;
public static class LlmSizeTestPng
{
    public static int[] CountColors(string path, int[] rgb, int tolerance)
    {
        byte[] f = File.ReadAllBytes(path);
        int pos = 8, width = 0, height = 0, channels = 0;
        var idat = new MemoryStream();
        while (pos < f.Length)
        {
            int len = (f[pos] << 24) | (f[pos + 1] << 16) | (f[pos + 2] << 8) | f[pos + 3];
            string type = System.Text.Encoding.ASCII.GetString(f, pos + 4, 4);
            if (type == "IHDR")
            {
                width = (f[pos + 8] << 24) | (f[pos + 9] << 16) | (f[pos + 10] << 8) | f[pos + 11];
                height = (f[pos + 12] << 24) | (f[pos + 13] << 16) | (f[pos + 14] << 8) | f[pos + 15];
                if (f[pos + 16] != 8) throw new NotSupportedException("bit depth");
                channels = f[pos + 17] == 6 ? 4 : f[pos + 17] == 2 ? 3 : throw new NotSupportedException("color type");
            }
            else if (type == "IDAT") idat.Write(f, pos + 8, len);
            pos += 12 + len;
        }
        idat.Position = 0;
        var raw = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(raw);
        byte[] d = raw.ToArray();
        int stride = width * channels;
        var img = new byte[height * stride];
        for (int y = 0; y < height; y++)
        {
            int filter = d[y * (stride + 1)];
            for (int x = 0; x < stride; x++)
            {
                int a = x >= channels ? img[y * stride + x - channels] : 0;
                int b = y > 0 ? img[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? img[(y - 1) * stride + x - channels] : 0;
                int v = d[y * (stride + 1) + 1 + x];
                int p = filter == 0 ? 0 : filter == 1 ? a : filter == 2 ? b : filter == 3 ? (a + b) / 2 : Paeth(a, b, c);
                img[y * stride + x] = (byte)(v + p);
            }
        }
        var counts = new int[rgb.Length / 3];
        for (int i = 0; i < width * height; i++)
            for (int k = 0; k < counts.Length; k++)
                if (Math.Abs(img[i * channels] - rgb[3 * k]) <= tolerance && Math.Abs(img[i * channels + 1] - rgb[3 * k + 1]) <= tolerance && Math.Abs(img[i * channels + 2] - rgb[3 * k + 2]) <= tolerance)
                    counts[k]++;
        return counts;
    }
    private static int Paeth(int a, int b, int c) { int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c); return pa <= pb && pa <= pc ? a : pb <= pc ? b : c; }
}
'@
}

Describe 'Out-LlmChart' {
    BeforeAll {
        $script:Rows = @(
            [pscustomobject]@{ Label = 'small'; Weights = [LlmSize.Core.Units.ByteSize]::FromGiB(14); KvCache = [LlmSize.Core.Units.ByteSize]::FromGiB(2); Overhead = [LlmSize.Core.Units.ByteSize]::FromGiB(1) }
            [pscustomobject]@{ Label = 'large'; Weights = [LlmSize.Core.Units.ByteSize]::FromGiB(14); KvCache = [LlmSize.Core.Units.ByteSize]::FromGiB(16); Overhead = [LlmSize.Core.Units.ByteSize]::FromGiB(1) }
        )
    }

    It 'writes an SVG with a bar per object and a line per GPU' {
        $file = Join-Path $TestDrive 'chart.svg'
        $out = $Rows | Out-LlmChart -Path $file -Gpu rtx-4090-24gb -PassThru
        $out.FullName | Should -Be $file
        $svg = [xml](Get-Content $file -Raw)
        $svg.svg | Should -Not -BeNullOrEmpty
        (Get-Content $file -Raw) | Should -Match 'GeForce RTX 4090'
    }

    It 'refuses objects without a breakdown with NotAnEstimate and still draws the rest' {
        $file = Join-Path $TestDrive 'mixed.svg'
        @($Rows[0], [pscustomobject]@{ Name = 'nothing' }) | Out-LlmChart -Path $file -ErrorVariable err -ErrorAction SilentlyContinue
        $err[0].FullyQualifiedErrorId | Should -BeLike 'NotAnEstimate,*'
        Test-Path $file | Should -BeTrue
    }

    It 'displays in headless Chromium: the weights and KV-cache colours are on screen' {
        $chromium = Get-Chromium
        if (-not $chromium) { Set-ItResult -Skipped -Because 'chromium is not installed and cannot be installed here (not root or no apt-get)'; return }
        $html = Join-Path $TestDrive 'chart.html'
        $Rows | Out-LlmChart -Path $html -Gpu rtx-4090-24gb
        $png = Join-Path $TestDrive 'chart.png'
        $profileDir = Join-Path $TestDrive 'chromium-profile'
        & $chromium --headless --no-sandbox --disable-gpu --hide-scrollbars "--user-data-dir=$profileDir" "--screenshot=$png" --window-size=960,400 "file://$html" *> $null
        Test-Path $png | Should -BeTrue
        # Weights #1f77b4 = (31,119,180); KvCache #ff7f0e = (255,127,14). Bar heights are 26 px; two bars of
        # 14 GiB of weights on a 40 GiB axis span ≈ 2 × 26 × 231 px ≈ 12,000 px of weights colour.
        $counts = [LlmSizeTestPng]::CountColors($png, [int[]](31, 119, 180, 255, 127, 14), 3)
        $counts[0] | Should -BeGreaterThan 5000
        $counts[1] | Should -BeGreaterThan 2000
    }
}
