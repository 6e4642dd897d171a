/* SPDX-License-Identifier: GPL-2.0-or-later */
/* A tiny EFI application for the end-to-end tests of entries booted through the firmware
 * (Windows Boot Manager, EFI tools): what the firmware starts after kexec-loader set BootNext.
 * Built in the test with gnu-efi (tests/qemu/vm.py, efi_app). It prints one line on the
 * firmware's console (OVMF's ConOut includes the first serial port):
 *
 *   KEXEC-LOADER-EFI-APP-STARTED path=<its file path> BootCurrent=<####|none>
 *
 * (the path it was loaded from, as the firmware's loaded-image protocol says, and the boot option
 * the firmware started it through), then shuts the machine down (ResetSystem EfiResetShutdown)
 * so that QEMU exits. Not part of the program: no include of the project's headers. */
#include <efi.h>
#include <efilib.h>

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
        EFI_LOADED_IMAGE *loaded = NULL;
        CHAR16 *path = NULL;
        CHAR16 current[8] = L"none";
        UINT16 number = 0;
        UINTN size = sizeof(number);
        UINT32 attributes = 0;
        EFI_STATUS status;

        InitializeLib(image, systab);
        status = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
                                   (void **) &loaded);
        if (!EFI_ERROR(status) && loaded && loaded->FilePath)
                path = DevicePathToStr(loaded->FilePath);
        status = uefi_call_wrapper(RT->GetVariable, 5, L"BootCurrent", &EfiGlobalVariable,
                                   &attributes, &size, &number);
        if (!EFI_ERROR(status) && size == sizeof(number))
                SPrint(current, sizeof(current), L"%04x", number);
        Print(L"\r\nKEXEC-LOADER-EFI-APP-STARTED path=%s BootCurrent=%s\r\n", path ? path : L"?",
              current);
        if (path)
                FreePool(path);
        uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
        return EFI_SUCCESS;
}
