# language: vi
Tính năng: Quy tắc nhiem-vu-qua-han: nhiệm vụ quá hạn chưa hoàn thành
  Nhiệm vụ có hạn hoàn thành mà đến ngày kiểm tra chưa được báo cáo hoàn thành
  thì đơn vị chủ trì bị nhắc, kèm số ngày quá hạn.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026

  Kịch bản: Nhiệm vụ hạn tháng 10 chưa hoàn thành thì quá hạn 22 ngày
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ                  | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN  | Phòng Kinh tế  | Tháng 10/2026       |
    Và các báo cáo tiến độ:
      | TT | Tình trạng     | Ngày báo cáo |
      | 13 | đang thực hiện | 15/10/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và đơn vị nhận là "Phòng Kinh tế"
    Và giá trị "days_overdue" là 22
    Và giá trị "due" là 31/10/2026
    Và câu thông báo có "Tổ chức đối thoại với DN"
    Và câu thông báo có "quá hạn 22 ngày"
    Và mức độ là "cảnh báo"

  Kịch bản: Nhiệm vụ chưa có báo cáo nào cũng bị tính quá hạn
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ      | Đơn vị chủ trì | Thời gian thực hiện |
      | 4  | Kiểm tra CCHC | Phòng Văn hóa - Xã hội | Quý III/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "4"
    Và giá trị "status" là "chưa báo cáo"
    Và giá trị "days_overdue" là 53

  Kịch bản: Nhiệm vụ đã hoàn thành thì không bị nêu, kể cả hoàn thành muộn
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ         | Đơn vị chủ trì | Thời gian thực hiện |
      | 1  | Ban hành kế hoạch | Phòng Kinh tế  | Tháng 07/2026       |
    Và các báo cáo tiến độ:
      | TT | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 1  | hoàn thành | 10/08/2026      | 10/08/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì không có phát hiện nào

  Kịch bản: Đúng ngày hạn cuối thì chưa quá hạn
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ      | Đơn vị chủ trì | Thời gian thực hiện      |
      | 2  | Rà soát TTHC  | Phòng Kinh tế  | Chậm nhất ngày 22/11/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì không có phát hiện nào

  Kịch bản: Một ngày sau hạn cuối thì quá hạn 1 ngày
    Cho ngày kiểm tra là 23/11/2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ      | Đơn vị chủ trì | Thời gian thực hiện      |
      | 2  | Rà soát TTHC  | Phòng Kinh tế  | Chậm nhất ngày 22/11/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "2"
    Và giá trị "days_overdue" là 1

  Kịch bản: "Trước ngày D" nghĩa là xong trước hết ngày hôm trước
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ      | Đơn vị chủ trì | Thời gian thực hiện      |
      | 3  | Báo cáo sơ kết | Phòng Kinh tế | Trước ngày 22/11/2026    |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "3"
    Và giá trị "days_overdue" là 1

  Kịch bản: Nhiệm vụ thường xuyên không thể quá hạn
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ       | Đơn vị chủ trì | Thời gian thực hiện |
      | 5  | Tuyên truyền   | Phòng Kinh tế  | Thường xuyên        |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì không có phát hiện nào

  Kịch bản: Thời hạn do văn bản khác quyết định được kiểm tra khi đã bổ sung ngày
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ          | Đơn vị chủ trì | Thời gian thực hiện          | Ngày bổ sung |
      | 6  | Đo lường hài lòng | Phòng Kinh tế  | Theo thời gian đánh giá của Sở Y tế | 30/09/2026 |
      | 7  | Cắt giảm hồ sơ    | Phòng Kinh tế  | Theo lộ trình của Nghị quyết |              |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "6"
    Và giá trị "days_overdue" là 53
    Và không có phát hiện cho nhiệm vụ "7"

  Kịch bản: Nhiệm vụ có hai đơn vị chủ trì thì mỗi đơn vị một phát hiện
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ    | Đơn vị chủ trì                         | Thời gian thực hiện |
      | 14 | Quảng bá    | Phòng Kinh tế; Phòng Văn hóa - Xã hội  | Quý III/2026        |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có 2 phát hiện

  Khung kịch bản: Mức độ tăng theo số ngày quá hạn
    Cho ngày kiểm tra là <ngày kiểm tra>
    Và các nhiệm vụ:
      | TT | Nhiệm vụ     | Đơn vị chủ trì | Thời gian thực hiện       |
      | 2  | Rà soát TTHC | Phòng Kinh tế  | Chậm nhất ngày 01/10/2026 |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "2"
    Và giá trị "days_overdue" là <số ngày>
    Và mức độ là "<mức độ>"

    Dữ liệu:
      | ngày kiểm tra | số ngày | mức độ       |
      | 02/10/2026    | 1       | nhắc nhở     |
      | 15/10/2026    | 14      | nhắc nhở     |
      | 16/10/2026    | 15      | cảnh báo     |
      | 30/10/2026    | 29      | cảnh báo     |
      | 31/10/2026    | 30      | nghiêm trọng |

  Kịch bản: Đã đôn đốc hai lần, công văn gần nhất quá hạn trả lời: nghiêm trọng trước ngày thứ 30
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN | Phòng Kinh tế  | Tháng 10/2026       |
    Và lịch sử đôn đốc:
      | Nội dung       | Đơn vị        | Phát hiện lần đầu | Số lần đôn đốc | Quá hạn trả lời | Mức độ lần trước |
      | nhiệm vụ "13"  | Phòng Kinh tế | 01/11/2026        | 2              | có              | cảnh báo         |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và giá trị "days_overdue" là 22
    Và mức độ là "nghiêm trọng"

  Kịch bản: Đôn đốc hai lần nhưng đơn vị đã trả lời đúng hạn: chưa lên nghiêm trọng
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN | Phòng Kinh tế  | Tháng 10/2026       |
    Và lịch sử đôn đốc:
      | Nội dung       | Đơn vị        | Phát hiện lần đầu | Số lần đôn đốc | Quá hạn trả lời |
      | nhiệm vụ "13"  | Phòng Kinh tế | 01/11/2026        | 2              | không           |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và mức độ là "cảnh báo"

  Kịch bản: Mới đôn đốc một lần, quá hạn trả lời: chưa lên nghiêm trọng
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN | Phòng Kinh tế  | Tháng 10/2026       |
    Và lịch sử đôn đốc:
      | Nội dung       | Đơn vị        | Phát hiện lần đầu | Số lần đôn đốc | Quá hạn trả lời |
      | nhiệm vụ "13"  | Phòng Kinh tế | 01/11/2026        | 1              | có              |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và mức độ là "cảnh báo"

  Kịch bản: Đêm kiểm tra không có kho dữ liệu: thang theo số ngày quá hạn như trước
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì | Thời gian thực hiện |
      | 13 | Tổ chức đối thoại với DN | Phòng Kinh tế  | Tháng 10/2026       |
    Khi kiểm tra theo quy tắc "nhiem-vu-qua-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "13"
    Và mức độ là "cảnh báo"
