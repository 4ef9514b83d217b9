/*
 * bcryptprimitives.dll for Wine 8.0 (Debian 12), which lacks it: Go's runtime
 * (since 1.22) takes its random numbers from ProcessPrng in this DLL, and
 * without it every Go program stops at start with "bcryptprimitives.dll not
 * found". Windows 10 and 11 ship the DLL; this stand-in is only copied into
 * the Wine prefix of `make smoke-windows` and never into a package. It fills
 * the buffer from Wine's bcrypt.dll system RNG.
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
